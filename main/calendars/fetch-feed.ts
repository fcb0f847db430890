import { pipeline } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import { rememberSecret } from '../lib/redact';
import { describeSpan } from '../lib/span';
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

class TooLarge extends Error {}
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

async function readText(body: AsyncIterable<Buffer>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw new TooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The body of an answer that is not the calendar, read to its end (at most a little) or dropped: never an unheard error. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump({ limit: 64 * 1024 }).catch(() => undefined);
}

function reason(err: unknown, timeoutMs: number): string {
  const e = err as { name?: unknown; code?: unknown; cause?: { code?: unknown } };
  const code = e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timeout' : String(e.code ?? e.cause?.code ?? '');
  if (code === 'timeout' || code.endsWith('_TIMEOUT')) return `it did not answer within ${describeSpan(timeoutMs)}`;
  if (code === 'ECONNREFUSED') return 'the connection was refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its address could not be looked up (are you offline?)';
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return 'there is no route to it (are you offline?)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') return 'the connection dropped';
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return 'its certificate was not accepted';
  return 'the connection failed';
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
 * gzip accepted, a few redirects (each one https too), one bound on the whole exchange, and at most
 * `maxBytes`, refused while it streams. Errors name the calendar and its host, never the address,
 * which works like a password; the log has host, status and time only.
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
        throw new ZoomTrayError('network', `Could not reach ${label}: ${reason(err, timeoutMs)}. Check your connection; zoom-tray asks again later.`, { cause: err });
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
        // An https feed never sends the address on in clear, nor to this computer's own services.
        if (!isAllowedFeedUrl(next) || (next.protocol === 'http:' && url.protocol !== 'http:') || next.username || next.password) {
          throw new ZoomTrayError('calendar', `${label} redirected to an address that is not https (${next.host}), which zoom-tray does not follow.`);
        }
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
        text = await readText(unzipped(res.body, header(res.headers, 'content-encoding')), maxBytes);
      } catch (err) {
        res.body.on('error', () => undefined).destroy();
        if (err instanceof TooLarge) {
          throw new ZoomTrayError('calendar', `${label} is larger than ${maxBytes / 1024 / 1024} MB, which zoom-tray does not read. Publish a calendar with fewer events (a separate one for meetings), then add that one.`);
        }
        if (err instanceof Unreadable || (err as { code?: unknown }).code === 'Z_DATA_ERROR') {
          throw new ZoomTrayError('calendar', `${label} sent its calendar in a form zoom-tray cannot read (${header(res.headers, 'content-encoding') ?? 'garbled'}). Try again later.`, { cause: err });
        }
        throw new ZoomTrayError('network', `Could not read ${label}: ${reason(err, timeoutMs)}. Check your connection; zoom-tray asks again later.`, { cause: err });
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
