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

/** The text of an HTML body: tags become spaces (a link's href stays as text), entities are decoded. */
export function stripHtml(html: string): string {
  const hrefs = html.replace(/<a\b[^>]*?\bhref\s*=\s*(["'])(.*?)\1[^>]*>/gi, ' $2 ');
  return decodeEntities(hrefs.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' '));
}

/**
 * The link a redirector wraps, else the link itself: Outlook's SafeLinks
 * (`https://*.safelinks.protection.outlook.com/?url=<encoded>&…`, as MeetingBar's
 * cleanupOutlookSafeLinks unwraps them) and Google's `https://www.google.com/url?q=<encoded>`,
 * which calendar descriptions carry. Only the wrapped link is looked at afterwards.
 */
export function unwrapLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return link;
  }
  const host = url.hostname.toLowerCase();
  const wrapped =
    host.endsWith('.safelinks.protection.outlook.com') ? url.searchParams.get('url') : host === 'www.google.com' && url.pathname === '/url' ? url.searchParams.get('q') : null;
  return wrapped && /^https?:\/\//i.test(wrapped) ? wrapped : link;
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
 * URL, its location, its notes, then its notes with HTML stripped (and Outlook's HTML body). A
 * personal link (`/my/name`) names no meeting ID, so it is not a meeting here. Pure.
 */
export function findZoomLink(event: EventText): ZoomLink | undefined {
  const fields = [event.conference, event.url, event.location, event.description];
  for (const field of fields) {
    const found = field ? inField(field) : undefined;
    if (found) return found;
  }
  for (const html of [event.description, event.htmlDescription]) {
    const found = html ? inField(stripHtml(html)) : undefined;
    if (found) return found;
  }
  return undefined;
}
