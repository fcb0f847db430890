import { BlockList, isIP } from 'node:net';
import { pipeline } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import { rememberSecret } from '../lib/redact';
import { failureReason, readCapped, TooLarge } from '../lib/net';
import { type CalendarRef, calendarLabel } from './calendar-names';
import { isAllowedFeedUrl } from './feed-address';
import { isCalendarText } from './feed-text';

/** What a server said about the version it sent, to ask next time whether it changed (RFC 9110 §13.1). */
export interface FeedValidators {
  readonly etag?: string;
  readonly lastModified?: string;
}

export type FeedAnswer =
  /** 304: the version held is current. */
  | { readonly changed: false }
  | { readonly changed: true; readonly text: string; readonly validators: FeedValidators };

export interface FetchFeedOptions {
  /** The whole exchange, redirects and body included. */
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

/** Larger than any calendar worth reading for a week's meetings; what is larger is refused while it streams. */
export const MAX_FEED_BYTES = 4 * 1024 * 1024;
const TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 5;

/** Sent in an encoding zoom-tray did not ask for. */
class Unreadable extends Error {}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The body as sent, unzipped when it came gzip'd or deflated (what zoom-tray asks for; undici's own
 * decompression is experimental and warns on stderr). The limit counts unzipped bytes: a few
 * kilobytes on the wire can unzip to gigabytes.
 */
function unzipped(body: Dispatcher.ResponseData['body'], encoding: string | undefined): AsyncIterable<Buffer> {
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  if (coding === 'identity' || coding === '') return body;
  const unzip = coding === 'gzip' || coding === 'x-gzip' ? createGunzip() : coding === 'deflate' ? createInflate() : undefined;
  if (!unzip) throw new Unreadable();
  // Errors reach the reader through the unzip stream; the body is destroyed with it.
  return pipeline(body, unzip, () => undefined);
}

/** The body of an answer that is not the calendar, read to its end (at most a little) or dropped: never an unheard error. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}

/** Addresses of this computer, and of a private network (or the link), as URLs write them (IPv4 in IPv6 too). */
const THIS_COMPUTER = new BlockList();
THIS_COMPUTER.addSubnet('127.0.0.0', 8, 'ipv4');
THIS_COMPUTER.addAddress('0.0.0.0', 'ipv4');
THIS_COMPUTER.addAddress('::1', 'ipv6');
THIS_COMPUTER.addAddress('::', 'ipv6');
THIS_COMPUTER.addSubnet('::ffff:7f00:0', 104, 'ipv6');
const PRIVATE_NETWORK = new BlockList();
for (const [net, prefix] of [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['169.254.0.0', 16], ['100.64.0.0', 10]] as const) {
  PRIVATE_NETWORK.addSubnet(net, prefix, 'ipv4');
  // The same, IPv4-mapped: ::ffff:10.0.0.0/104 and so on.
  const [a = 0, b = 0] = net.split('.').map(Number);
  PRIVATE_NETWORK.addSubnet(`::ffff:${((a << 8) | b).toString(16)}:0`, 96 + prefix, 'ipv6');
}
PRIVATE_NETWORK.addSubnet('fc00::', 7, 'ipv6');
PRIVATE_NETWORK.addSubnet('fe80::', 10, 'ipv6');

/**
 * How near an address is: 2 on this computer (loopback addresses, localhost), 1 on a private
 * network or the link (RFC 1918, shared and link-local addresses, IPv6 unique-local, `.local`), 0
 * on the internet. Literal addresses and those names only: a name is not looked up.
 */
function nearness(url: URL): number {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const family = isIP(host);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (host === 'localhost' || host.endsWith('.localhost') || (family !== 0 && THIS_COMPUTER.check(host, type))) return 2;
  if (host.endsWith('.local') || (family !== 0 && PRIVATE_NETWORK.check(host, type))) return 1;
  return 0;
}

/**
 * Why a redirect from the calendar's address (`from`) to `to` is not followed, or undefined when
 * it is: an https feed never sends the address on in clear; no address with a user name or password
 * is followed; and none nearer than the calendar's own: an address on the internet cannot send
 * zoom-tray to a service on this computer or the local network (which would answer a GET it
 * never meant for itself), nor one on the local network to this computer. Tests' feeds on
 * loopback redirect anywhere.
 */
export function redirectProblem(from: URL, to: URL): string | undefined {
  if (to.username || to.password) return `an address with a user name or password in it (${to.host})`;
  // A `javascript:` or `data:` address has no host: its scheme says what it is.
  if (!isAllowedFeedUrl(to) || (to.protocol === 'http:' && from.protocol !== 'http:')) return `an address that is not https (${to.host || to.protocol.replace(/:$/, '')})`;
  const near = nearness(to);
  if (near > nearness(from)) return `${near === 2 ? 'this computer' : 'the local network'} (${to.host})`;
  return undefined;
}

/** The answer of a status that is not a calendar: what happened, and what to do. */
function refused(calendar: CalendarRef, status: number): ZoomTrayError {
  const label = calendarLabel(calendar);
  if (status === 401 || status === 403 || status === 404 || status === 410) {
    return new ZoomTrayError(
      'calendar',
      `The address of ${label} no longer works (HTTP ${status}): it was reset, unpublished or removed. Add it again: \`zoom-tray calendar remove ${calendar.name}\`, then \`zoom-tray calendar add\` with its new address.`,
    );
  }
  if (status === 429 || status >= 500) {
    return new ZoomTrayError('network', `${label} could not answer (HTTP ${status}). zoom-tray asks again later.`);
  }
  return new ZoomTrayError('calendar', `${label} refused to send the calendar (HTTP ${status}). Check the address: \`zoom-tray calendar remove ${calendar.name}\`, then add it again.`);
}

/**
 * Fetches a calendar feed politely: https only (http on loopback, for tests), a conditional request
 * when a version is held (If-None-Match, If-Modified-Since: a 304 costs the server almost nothing),
 * gzip accepted, a few redirects (each one https too, none nearer than the address: see
 * redirectProblem), one bound on the whole exchange, and at most `maxBytes`, refused while it
 * streams. Errors name the calendar and its host, never the address, which works like a password;
 * the log has host, status and time only.
 */
export async function fetchFeed(address: URL, calendar: CalendarRef, previous: FeedValidators | undefined, options: FetchFeedOptions = {}): Promise<FeedAnswer> {
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? MAX_FEED_BYTES;
  const label = calendarLabel(calendar);
  // undici is most of the CLI's bundle: loaded for the first request (scripts/build.mjs keeps it apart).
  const { Agent, request } = require('undici') as typeof import('undici');
  const agent = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const signal = AbortSignal.timeout(timeoutMs);
  const started = performance.now();
  let url = address;
  rememberSecret(url.href);
  try {
    for (let hop = 0; ; hop++) {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method: 'GET',
          headers: {
            Accept: 'text/calendar, */*;q=0.5',
            'Accept-Encoding': 'gzip, deflate',
            'User-Agent': 'zoom-tray',
            ...(previous?.etag ? { 'If-None-Match': previous.etag } : {}),
            ...(previous?.lastModified ? { 'If-Modified-Since': previous.lastModified } : {}),
          },
          dispatcher: agent,
          signal,
        });
      } catch (err) {
        log.debug(`calendar ${calendar.name}: GET ${url.host} failed after ${Math.round(performance.now() - started)} ms`);
        if ((err as { code?: unknown }).code === 'UND_ERR_HEADERS_OVERFLOW') {
          // Not the connection: the server answered, with more header than any calendar server sends (a redirect to a 60 KB address…).
          throw new ZoomTrayError('calendar', `${label} answered with headers too large to read, which no calendar server sends. Check the address: \`zoom-tray calendar remove ${calendar.name}\`, then add it again.`, { cause: err });
        }
        throw new ZoomTrayError('network', `Could not reach ${label}: ${failureReason(err, timeoutMs)}. Check your connection; zoom-tray asks again later.`, { cause: err });
      }
      const status = res.statusCode;
      log.debug(`calendar ${calendar.name}: GET ${url.host} → ${status} in ${Math.round(performance.now() - started)} ms`);
      if (status >= 300 && status < 400 && status !== 304) {
        await discard(res.body);
        const location = header(res.headers, 'location');
        let next: URL | undefined;
        try {
          next = location ? new URL(location, url) : undefined;
        } catch {
          next = undefined;
        }
        if (next) rememberSecret(next.href);
        if (!next || hop >= MAX_REDIRECTS) throw new ZoomTrayError('calendar', `${label} sent zoom-tray from one address to another and never to a calendar. Check the address.`);
        const problem = redirectProblem(address, next);
        if (problem) throw new ZoomTrayError('calendar', `${label} redirected to ${problem}, which zoom-tray does not follow.`);
        url = next;
        continue;
      }
      if (status === 304) {
        await discard(res.body);
        if (previous) return { changed: false };
        throw new ZoomTrayError('calendar', `${label} answered "not modified" to a first request. Try again later.`);
      }
      if (status !== 200) {
        await discard(res.body);
        throw refused(calendar, status);
      }
      let text: string;
      try {
        text = await readCapped(unzipped(res.body, header(res.headers, 'content-encoding')), maxBytes);
      } catch (err) {
        res.body.on('error', () => undefined).destroy();
        if (err instanceof TooLarge) {
          throw new ZoomTrayError('calendar', `${label} is larger than ${maxBytes / 1024 / 1024} MB, which zoom-tray does not read. Publish a calendar with fewer events (a separate one for meetings), then add that one.`);
        }
        if (err instanceof Unreadable || (err as { code?: unknown }).code === 'Z_DATA_ERROR') {
          throw new ZoomTrayError('calendar', `${label} sent its calendar in a form zoom-tray cannot read (${header(res.headers, 'content-encoding') ?? 'garbled'}). Try again later.`, { cause: err });
        }
        throw new ZoomTrayError('network', `Could not read ${label}: ${failureReason(err, timeoutMs)}. Check your connection; zoom-tray asks again later.`, { cause: err });
      }
      if (!isCalendarText(text)) {
        throw new ZoomTrayError(
          'calendar',
          `${label} did not answer with a calendar (it sent ${/^\s*</.test(text) ? 'a web page, perhaps a sign-in page' : 'something else'}). Use the calendar's secret iCal address (see \`zoom-tray calendar\` in the README).`,
        );
      }
      const etag = header(res.headers, 'etag');
      const lastModified = header(res.headers, 'last-modified');
      return { changed: true, text, validators: { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) } };
    }
  } finally {
    // Destroyed, not closed: a request cut short by the time limit must not keep it open.
    await agent.destroy().catch(() => undefined);
  }
}
