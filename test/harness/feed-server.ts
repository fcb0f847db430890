/**
 * Calendar feeds over HTTP on 127.0.0.1, as the providers serve them: each feed at a secret address
 * (a random token in its path, as Google's private-… addresses), with an ETag and a Last-Modified
 * that conditional requests are answered with 304 from, gzip when asked. A test switches a feed to
 * fail as real ones do (reset address, server error, a stall, a web page, too much) and counts what
 * it was asked. Closed with the test that made it.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';

export type FeedMode =
  | 'ok'
  /** 404, as Google and Outlook answer a reset or unpublished address. */
  | 'gone'
  | 'forbidden'
  /** 503, a server having a bad moment. */
  | 'busy'
  /** Accepts the request and never answers. */
  | 'stall'
  /** Drops the connection, as when the network is down. */
  | 'drop'
  /** Sends the headers and part of the body, then nothing. */
  | 'stall-body'
  /** A Google-style sign-in page, with 200. */
  | 'html'
  /** A calendar of 5 MB, streamed without Content-Length. */
  | 'huge'
  /** 5 MB announced by Content-Length. */
  | 'huge-declared'
  /** 5 MB once unzipped, a few KB on the wire. */
  | 'gzip-bomb'
  /** Content-Encoding zoom-tray did not ask for (br), or gzip that is not. */
  | 'brotli'
  | 'garbled-gzip'
  /** 304 to every request, asked conditionally or not (a broken cache in between). */
  | 'always-304'
  /** A redirect to `to` (another feed's name, or an absolute URL). */
  | { readonly redirect: string; readonly status?: number };

export interface FeedStats {
  /** Requests for this feed's address. */
  readonly requests: number;
  /** Of which conditional (If-None-Match or If-Modified-Since). */
  readonly conditional: number;
  /** Answered 304. */
  readonly notModified: number;
}

interface Feed {
  readonly path: string;
  body: string;
  etag: string | undefined;
  lastModified: string | undefined;
  mode: FeedMode;
  stats: { requests: number; conditional: number; notModified: number };
}

export interface FeedServer {
  readonly origin: string;
  /** The feed's secret address (http on loopback: the only http zoom-tray fetches). */
  address(name: string): string;
  /** What `name` serves from now on (LF line ends become CRLF), with a new version's ETag and Last-Modified. */
  serve(name: string, body: string, validators?: { readonly etag?: boolean; readonly lastModified?: boolean }): void;
  /** How `name` answers from now on. */
  mode(name: string, mode: FeedMode): void;
  stats(name: string): FeedStats;
  /** The token of every feed's address: none of them may ever be shown, logged or written. */
  secrets(): string[];
  close(): Promise<void>;
}

export const SIGN_IN_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts</title></head>
<body><form action="/signin" method="post"><h1>Sign in</h1><p>to continue to Google Calendar</p>
<input type="email" name="identifier"><button>Next</button></form></body></html>
`;

/** A calendar of `bytes` (one Zoom meeting, then filler events): valid all the way, just too big. */
export function hugeCalendar(bytes: number): string {
  const head = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//zoom-tray tests//huge//EN\r\n';
  const event = (i: number): string =>
    `BEGIN:VEVENT\r\nUID:filler-${i}\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20200101T100000Z\r\nSUMMARY:Filler ${i}\r\nDESCRIPTION:${'x'.repeat(200)}\r\nEND:VEVENT\r\n`;
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const e = event(i);
    parts.push(e);
    size += e.length;
  }
  parts.push('END:VCALENDAR\r\n');
  return parts.join('');
}

const FIVE_MB = 5 * 1024 * 1024;

export async function startFeedServer(t?: TestContext): Promise<FeedServer> {
  const feeds = new Map<string, Feed>();
  const byPath = new Map<string, Feed>();
  const sockets = new Set<Socket>();
  let version = 0;
  let huge: string | undefined;
  const hugeText = (): string => (huge ??= hugeCalendar(FIVE_MB));

  const feed = (name: string): Feed => {
    let f = feeds.get(name);
    if (!f) {
      const token = randomBytes(16).toString('hex');
      f = { path: `/calendar/ical/${encodeURIComponent(name)}%40example.com/private-${token}/basic.ics`, body: '', etag: undefined, lastModified: undefined, mode: 'ok', stats: { requests: 0, conditional: 0, notModified: 0 } };
      feeds.set(name, f);
      byPath.set(f.path, f);
    }
    return f;
  };

  const server = http.createServer((req, res) => {
    const f = byPath.get(req.url ?? '');
    if (!f) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such feed');
      return;
    }
    f.stats.requests++;
    const ifNoneMatch = req.headers['if-none-match'];
    const ifModifiedSince = req.headers['if-modified-since'];
    if (ifNoneMatch || ifModifiedSince) f.stats.conditional++;
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const mode = f.mode;
    if (typeof mode === 'object') {
      const to = feeds.get(mode.redirect);
      res.writeHead(mode.status ?? 302, { Location: to ? to.path : mode.redirect }).end();
      return;
    }
    switch (mode) {
      case 'gone':
        res.writeHead(404, { 'Content-Type': 'text/html' }).end('<html><body>Not Found</body></html>');
        return;
      case 'forbidden':
        res.writeHead(403, { 'Content-Type': 'text/html' }).end('<html><body>Forbidden</body></html>');
        return;
      case 'busy':
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end('try later');
        return;
      case 'stall':
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'stall-body':
        res.writeHead(200, { 'Content-Type': 'text/calendar' });
        res.write('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n');
        return;
      case 'html':
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(SIGN_IN_PAGE);
        return;
      case 'huge': {
        res.writeHead(200, { 'Content-Type': 'text/calendar' });
        const text = hugeText();
        // Chunked, no length announced: the client must count as it reads.
        const chunk = 64 * 1024;
        let at = 0;
        const pump = (): void => {
          while (at < text.length) {
            const more = res.write(text.slice(at, at + chunk));
            at += chunk;
            if (!more) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      case 'huge-declared':
        res.writeHead(200, { 'Content-Type': 'text/calendar', 'Content-Length': String(Buffer.byteLength(hugeText())) });
        res.on('error', () => undefined);
        res.end(hugeText());
        return;
      case 'gzip-bomb':
        res.writeHead(200, { 'Content-Type': 'text/calendar', 'Content-Encoding': 'gzip' }).end(gzipSync(hugeText()));
        return;
      case 'brotli':
        res.writeHead(200, { 'Content-Type': 'text/calendar', 'Content-Encoding': 'br' }).end(Buffer.from([0x1b, 0x03, 0x00]));
        return;
      case 'garbled-gzip':
        res.writeHead(200, { 'Content-Type': 'text/calendar', 'Content-Encoding': 'gzip' }).end('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
        return;
      case 'always-304':
        res.writeHead(304).end();
        return;
      case 'ok':
        break;
    }
    if ((f.etag && ifNoneMatch === f.etag) || (!ifNoneMatch && f.lastModified && ifModifiedSince === f.lastModified)) {
      f.stats.notModified++;
      res.writeHead(304, { ...(f.etag ? { ETag: f.etag } : {}) }).end();
      return;
    }
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'text/calendar; charset=utf-8', ...(f.etag ? { ETag: f.etag } : {}), ...(f.lastModified ? { 'Last-Modified': f.lastModified } : {}) };
    if (gzip) res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip' }).end(gzipSync(f.body));
    else res.writeHead(200, headers).end(f.body);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api: FeedServer = {
    origin,
    address: (name) => `${origin}${feed(name).path}`,
    serve(name, body, validators = { etag: true, lastModified: true }) {
      const f = feed(name);
      version++;
      f.body = body.replace(/\r?\n/g, '\r\n');
      f.etag = validators.etag ? `"v${version}-${randomBytes(4).toString('hex')}"` : undefined;
      // A different second for each version, as an HTTP date can tell them apart.
      f.lastModified = validators.lastModified ? new Date(Date.UTC(2026, 11, 1, 0, 0, version)).toUTCString() : undefined;
      f.mode = 'ok';
    },
    mode(name, mode) {
      feed(name).mode = mode;
    },
    stats: (name) => ({ ...feed(name).stats }),
    secrets: () => [...feeds.values()].map((f) => f.path.match(/private-([0-9a-f]+)/)?.[1] ?? f.path),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  t?.after(() => api.close());
  return api;
}
