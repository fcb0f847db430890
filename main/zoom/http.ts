import { Agent, request } from 'undici';
import { ZoomTrayError } from '../errors';

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

function reasonFor(err: unknown, timeoutMs: number): string {
  const e = err as { code?: string; name?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? e.name;
  switch (code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'its address could not be looked up (are you offline?)';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'TimeoutError':
    case 'AbortError':
      return `it did not answer within ${Math.round(timeoutMs / 1000)} seconds`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return 'the connection dropped';
    default:
      return `the connection failed (${code ?? 'unknown error'})`;
  }
}

/**
 * One keep-alive undici agent for every call to Zoom, so the click path reuses warm TLS
 * connections. Network failures become one clear error that names the host, never the URL
 * (a URL may carry a token in its query).
 */
export function createHttpClient(options: { timeoutMs?: number } = {}): HttpClient {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const agent = new Agent({
    keepAliveTimeout: 60_000,
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  return {
    async send(req) {
      try {
        const res = await request(req.url, {
          method: req.method,
          headers: { Accept: 'application/json', 'User-Agent': 'zoom-tray', ...req.headers },
          body: req.body ?? null,
          dispatcher: agent,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.body.text();
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        return { status: res.statusCode, headers: res.headers, json };
      } catch (err) {
        throw new ZoomTrayError(
          'network',
          `Could not reach Zoom at ${req.url.host}: ${reasonFor(err, timeoutMs)}. Check your connection and try again.`,
        );
      }
    },
    close: () => agent.close(),
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
