import type { Agent } from 'undici';
import { ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import { errorCode, failureReason, readCapped, TooLarge } from '../lib/net';

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  readonly json: unknown;
}

export interface HttpClient {
  send(req: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

/**
 * Zoom's largest answer zoom-tray asks for is a page of 300 meetings (~300 KB); anything far
 * bigger is a broken proxy or a hostile network, and is refused before it fills memory.
 */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Failures where the request never left this computer: nothing can have happened at Zoom. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);

/**
 * One keep-alive undici agent for every call to Zoom, so the click path reuses warm TLS
 * connections. Network failures become one clear error that names the host, never the URL
 * (a URL may carry a token in its query), and says whether the request may have reached Zoom.
 */
export function createHttpClient(options: { timeoutMs?: number } = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? 15_000;
  // undici is most of the bundle: loaded on the first request, so a start served from the
  // keychain's cache never loads it.
  let client: { agent: Agent; request: typeof import('undici').request } | undefined;
  const undici = (): NonNullable<typeof client> => {
    if (client) return client;
    const { Agent, request } = require('undici') as typeof import('undici');
    const agent = new Agent({
      keepAliveTimeout: 60_000,
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return (client = { agent, request });
  };
  return {
    async send(req) {
      const signal = AbortSignal.timeout(timeoutMs);
      const started = Date.now();
      // Host and path only: a query may carry a token.
      const what = `${req.method} ${req.url.host}${req.url.pathname}`;
      let status: number;
      let headers: HttpResponse['headers'];
      let text: string;
      try {
        const { agent, request } = undici();
        const res = await request(req.url, {
          method: req.method,
          headers: { Accept: 'application/json', 'User-Agent': 'zoom-tray', ...req.headers },
          body: req.body ?? null,
          dispatcher: agent,
          signal,
        });
        status = res.statusCode;
        headers = res.headers;
        try {
          text = await readCapped(res.body, MAX_BODY_BYTES, res.headers['content-length']);
        } catch (err) {
          res.body.destroy();
          throw err;
        }
      } catch (err) {
        log.debug(`${what} failed after ${Date.now() - started} ms`);
        if (err instanceof TooLarge) {
          throw new ZoomTrayError(
            'zoom',
            `Zoom at ${req.url.host} sent an answer larger than ${MAX_BODY_BYTES / 1024 / 1024} MB, which zoom-tray does not accept. Try again later; if this repeats, check for a proxy between you and Zoom.`,
            { maybeDelivered: true },
          );
        }
        const code = errorCode(err);
        throw new ZoomTrayError('network', `Could not reach Zoom at ${req.url.host}: ${failureReason(err, timeoutMs)}. Check your connection and try again.`, {
          cause: err,
          maybeDelivered: !NOT_SENT.has(code ?? ''),
        });
      }
      log.debug(`${what} → ${status} in ${Date.now() - started} ms`);
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status, headers, json };
    },
    // Idempotent: a core may be closed by its owner and again when replaced.
    close: async () => {
      const open = client;
      client = undefined;
      await open?.agent.close();
    },
  };
}

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3); absent or garbled → undefined. */
export function retryAfterSeconds(header: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
