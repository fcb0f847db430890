import { parseJoin } from '../meetings/join-link';

/** The text of one calendar event where a Zoom link may be, as the feed gave it. */
export interface EventText {
  /** Google's conference data (`X-GOOGLE-CONFERENCE`). */
  readonly conference?: string | undefined;
  readonly url?: string | undefined;
  readonly location?: string | undefined;
  readonly description?: string | undefined;
  /** Outlook's HTML body (`X-ALT-DESC;FMTTYPE=text/html`). */
  readonly htmlDescription?: string | undefined;
}

/** An event's Zoom meeting: its ID and the link that joins it (the passcode kept, nothing else). */
export interface ZoomLink {
  readonly id: string;
  readonly url: string;
}

/** Anything URL-shaped in free text; what follows is checked by the project's own join-link parser. */
const CANDIDATE = /https?:\/\/[^\s<>"'`]+/gi;
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** `&amp;` and friends, numeric ones too: what an HTML body or a link copied out of one carries. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * A field longer than this is not looked at. Invitations are a few kilobytes of text, Outlook's
 * HTML bodies some tens; a quarter of a megabyte in one event's field is no invitation, and each
 * read of the feed would pay for looking through it.
 */
export const MAX_FIELD_LENGTH = 256 * 1024;

interface Hit {
  readonly start: number;
  readonly end: number;
}

/**
 * The first match of `pattern` (global) starting at or after `from`, for a scan that moves forward:
 * an answer is reused while the position asked stays between where it was asked and what it found
 * (nothing matches in between), so a text full of `<` that never close is searched once, not once
 * per `<`.
 */
function forwardSearch(text: string, pattern: RegExp): (from: number) => Hit | undefined {
  let last: { from: number; hit: Hit | undefined } | undefined;
  return (from) => {
    if (last && from >= last.from && (last.hit === undefined || from <= last.hit.start)) return last.hit;
    pattern.lastIndex = from;
    const m = pattern.exec(text);
    last = { from, hit: m ? { start: m.index, end: m.index + m[0].length } : undefined };
    return last.hit;
  };
}

/**
 * The text of an HTML body: tags become spaces (a link's href stays as text), `<script>` and
 * `<style>` go with their content, entities are decoded. One pass from left to right, each search
 * for what closes a tag starting where the last one of its kind stopped, so any text costs time in
 * proportion to its length. (Regular expressions did this before, and backtracked on unclosed tags
 * and quotes: `<a href="x` repeated over 4 KB took 20 seconds, 40,000 `<` 2.5 seconds.)
 */
export function stripHtml(html: string): string {
  const gt = forwardSearch(html, />/g);
  // An href's value ends at its quote on the same line.
  const lineBreak = forwardSearch(html, /[\n\r\u2028\u2029]/g);
  const quote = { '"': forwardSearch(html, /"/g), "'": forwardSearch(html, /'/g) };
  const href = forwardSearch(html, /\bhref\s*=\s*["']/gi);
  const closing = { script: forwardSearch(html, /<\/script\s*>/gi), style: forwardSearch(html, /<\/style\s*>/gi) };
  const tagName = /[a-z][a-z0-9]*/iy;
  /**
   * The value of the first href of a tag whose quote closes on its line (its value may hold a `>`;
   * the tag then ends at the first one after it), as the regular expression before this found it.
   */
  const hrefValue = (from: number, before: number): { value: string; tagEnd: number } | undefined => {
    for (let attribute = href(from); attribute && attribute.start < before; attribute = href(attribute.end)) {
      const valueEnd = quote[html[attribute.end - 1] as '"' | "'"](attribute.end);
      const brk = lineBreak(attribute.end);
      if (!valueEnd || (brk && brk.start < valueEnd.start)) continue;
      const tagEnd = gt(valueEnd.end);
      if (tagEnd) return { value: html.slice(attribute.end, valueEnd.start), tagEnd: tagEnd.end };
    }
    return undefined;
  };
  const out: string[] = [];
  let at = 0;
  for (let lt = html.indexOf('<'); lt !== -1; lt = html.indexOf('<', at)) {
    const close = gt(lt + 1);
    // No `>` after this `<`: no tag closes any more, the rest is text.
    if (!close) break;
    // Another `<` before the `>`: this one is text, the tag starts there (`<<a href=…>`).
    const next = html.indexOf('<', lt + 1);
    if (next !== -1 && next < close.start) {
      out.push(html.slice(at, next));
      at = next;
      continue;
    }
    out.push(html.slice(at, lt), ' ');
    at = close.end;
    tagName.lastIndex = lt + 1;
    const name = tagName.exec(html)?.[0].toLowerCase();
    if (name === 'script' || name === 'style') {
      // With its content, up to its closing tag; without one it is a tag like any other.
      at = closing[name](close.end)?.end ?? at;
    } else if (name === 'a') {
      const link = hrefValue(lt + 2, close.start);
      if (link) {
        out.push(link.value, ' ');
        at = link.tagEnd;
      }
    }
  }
  out.push(html.slice(at));
  return decodeEntities(out.join(''));
}

/** Redirectors inside redirectors are unwrapped this deep; a link wrapped deeper is left as it is (and is no Zoom link). */
export const MAX_WRAPPERS = 5;

/** The link one redirector wraps, or undefined when `link` is not one. */
function wrappedBy(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  const wrapped =
    host.endsWith('.safelinks.protection.outlook.com') ? url.searchParams.get('url') : host === 'www.google.com' && url.pathname === '/url' ? url.searchParams.get('q') : null;
  return wrapped && /^https?:\/\//i.test(wrapped) ? wrapped : undefined;
}

/**
 * The link a redirector wraps, else the link itself: Outlook's SafeLinks
 * (`https://*.safelinks.protection.outlook.com/?url=<encoded>&…`, as MeetingBar's
 * cleanupOutlookSafeLinks unwraps them) and Google's `https://www.google.com/url?q=<encoded>`,
 * which calendar descriptions carry, each inside the other too (an invitation forwarded through
 * Outlook twice is wrapped twice), up to MAX_WRAPPERS deep. Only the innermost link is looked at
 * afterwards, by the join-link parser's host rules.
 */
export function unwrapLink(link: string): string {
  let current = link;
  for (let depth = 0; depth < MAX_WRAPPERS; depth++) {
    const inner = wrappedBy(current);
    if (inner === undefined) break;
    current = inner;
  }
  return current;
}

/** The Zoom meeting links in one field's text; within a field the longest wins, so a link with its `pwd` beats the bare one. */
function inField(text: string): ZoomLink | undefined {
  let best: { found: ZoomLink; length: number } | undefined;
  for (const match of text.matchAll(CANDIDATE)) {
    // `&amp;` inside a link copied out of HTML would hide `pwd` behind a parameter named "amp;pwd".
    const link = unwrapLink(decodeEntities(match[0]));
    // One link at a time through the project's parser: its host rules (zoom.us, zoomgov.com and
    // their subdomains, https, no user info) decide, and it keeps only the passcode.
    const parsed = parseJoin(link);
    if (!parsed.ok || parsed.id === undefined) continue;
    if (!best || link.length > best.length) best = { found: { id: parsed.id, url: parsed.url.href }, length: link.length };
  }
  return best?.found;
}

/**
 * The Zoom meeting of a calendar event, looked for as MeetingBar does: conference data, the event's
 * URL, its location, its notes, then its notes with HTML stripped (and Outlook's HTML body); a
 * field longer than MAX_FIELD_LENGTH is passed over. A personal link (`/my/name`) names no meeting
 * ID, so it is not a meeting here. Pure, and linear in the length of the text.
 */
export function findZoomLink(event: EventText): ZoomLink | undefined {
  const searched = (field: string | undefined): field is string => field !== undefined && field.length <= MAX_FIELD_LENGTH;
  for (const field of [event.conference, event.url, event.location, event.description]) {
    const found = searched(field) ? inField(field) : undefined;
    if (found) return found;
  }
  for (const html of [event.description, event.htmlDescription]) {
    const found = searched(html) ? inField(stripHtml(html)) : undefined;
    if (found) return found;
  }
  return undefined;
}
