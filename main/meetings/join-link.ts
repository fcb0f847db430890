import { excerpt } from '../lib/redact';
import { isAllowedZoomUrl } from '../zoom/start-url';

export type JoinParse =
  | { readonly ok: true; readonly url: URL; readonly id?: string }
  /** `found`: what the text was instead, said without repeating it (a clipboard may hold a password). */
  | { readonly ok: false; readonly found: string };

/** Zoom's meeting paths: /j/<id> (join), /w/<id> (web client), /my/<name> (a personal link). */
const MEETING_PATH = /^\/(?:j|w|wc\/join)\/(\d{9,12})\/?$|^\/my\/([A-Za-z0-9._-]{1,64})\/?$/;
const ZOOM_LINK = /https:\/\/[A-Za-z0-9.-]*zoom(?:gov)?\.(?:us|com)\/[^\s<>"']+/i;
/**
 * "Meeting ID: 812 3456 7890", as in Zoom's invitations and in what "Copy meeting ID and passcode"
 * copies: within one line (`\s` would reach into the next), its groups parted by any space (mail
 * clients paste no-break ones), a tab or a dash.
 */
const MEETING_ID_LINE = /^[\p{Zs}\t]*Meeting ID:[\p{Zs}\t]*(\d[\d\p{Zs}\t-]{7,16}\d)[\p{Zs}\t]*\r?$/imu;

/**
 * What to open for a Zoom meeting link or ID someone copied: a link from an invitation (any
 * `*.zoom.us` or `*.zoomgov.com` host; the passcode kept), a link inside a pasted invitation, a
 * meeting ID, or a "Meeting ID:" line (joined on `webBase`; Zoom asks for the passcode). Anything
 * else is refused with a word on what it was. Pure.
 */
export function parseJoin(text: string, webBase: URL = new URL('https://zoom.us')): JoinParse {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, found: 'nothing' };
  const digits = trimmed.replace(/[\s-]/g, '');
  if (/^\d{9,12}$/.test(digits)) return { ok: true, id: digits, url: new URL(`/j/${digits}`, webBase) };
  const link = ZOOM_LINK.exec(trimmed)?.[0];
  const byLink = link === undefined ? undefined : fromLink(link);
  if (byLink?.ok) return byLink;
  // No meeting link (or only Zoom's other links: "Find your local number", support pages): the ID line.
  const line = MEETING_ID_LINE.exec(trimmed)?.[1]?.replace(/[\s-]/g, '');
  if (line && /^\d{9,12}$/.test(line)) return { ok: true, id: line, url: new URL(`/j/${line}`, webBase) };
  if (byLink) return byLink;
  const url = safeUrl(trimmed);
  if (url) return { ok: false, found: `a link to ${excerpt(url.host || url.protocol, 60)}` };
  return { ok: false, found: `${trimmed.length} characters of text` };
}

/** A Zoom link found in the text: the meeting it opens, or what else it is. */
function fromLink(link: string): JoinParse {
  const url = safeUrl(link.replace(/[).,;]+$/, ''));
  if (!url || !isAllowedZoomUrl(url)) return { ok: false, found: 'a link that is not a Zoom meeting' };
  const match = MEETING_PATH.exec(url.pathname);
  if (!match) return { ok: false, found: `a Zoom link that is not a meeting (${excerpt(url.pathname, 40)})` };
  // Only what joining needs: the passcode; tracking and other parameters stay behind.
  const pwd = url.searchParams.get('pwd');
  const clean = new URL(url.origin + url.pathname);
  if (pwd) clean.searchParams.set('pwd', pwd);
  return match[1] ? { ok: true, id: match[1], url: clean } : { ok: true, url: clean };
}

function safeUrl(text: string): URL | undefined {
  try {
    return /^[a-z][a-z0-9+.-]*:/i.test(text) ? new URL(text) : undefined;
  } catch {
    return undefined;
  }
}
