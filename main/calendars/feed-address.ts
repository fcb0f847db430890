import { excerpt, rememberSecret } from '../lib/redact';
import { isLoopbackHost } from '../shared/urls';

/**
 * A calendar's secret address. It works like a password (anyone holding it reads the calendar), so
 * it is remembered by the redactor the moment it is read, and only its host is ever said.
 */
export type FeedAddress =
  | { readonly ok: true; readonly url: URL }
  /** Why not, without repeating the address. */
  | { readonly ok: false; readonly why: string };

/** Plain http only on this computer (the tests' feed server): anywhere else the address would travel in clear. */
export function isAllowedFeedUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** Parses what the user pasted: `webcal:` (iCloud, Outlook's "subscribe" links) is https; http only on loopback. */
export function parseFeedAddress(text: string): FeedAddress {
  const trimmed = text.trim();
  rememberSecret(trimmed);
  let url: URL;
  try {
    url = new URL(trimmed.replace(/^webcals?:\/\//i, 'https://'));
  } catch {
    return { ok: false, why: 'it is not a link' };
  }
  rememberSecret(url.href);
  rememberSecret(`${url.pathname}${url.search}`);
  if (!isAllowedFeedUrl(url)) return { ok: false, why: `a calendar's address starts with https:// or webcal:// (this one is ${excerpt(url.protocol.replace(/:$/, ''), 20)})` };
  if (url.username || url.password) return { ok: false, why: 'addresses with a user name or password in them are not supported' };
  url.hash = '';
  return { ok: true, url };
}
