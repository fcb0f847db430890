import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { ZoomTrayError } from '../lib/errors';
import { excerpt } from '../lib/redact';
import { describeSpan } from '../lib/span';
import { PAGE_HEADERS, rawResultResponse, resultPage } from './pages';

/**
 * A one-shot loopback listener for the OAuth redirect (RFC 8252 §7.3). It listens on exactly the
 * host and port of the registered redirect URI, answers anything that is not the real redirect
 * with 400 and keeps waiting, and closes every connection as soon as the attempt ends.
 *
 * Any web page can make the browser send requests here and any local program can connect, so
 * nothing a client sends may throw, end the attempt without the state, or hold the process open.
 */
export interface RedirectWait {
  /** Resolves with the authorization code; rejects on denial, timeout or cancel. */
  readonly code: Promise<string>;
  /** Ends the attempt early (the tray's "Cancel"); a no-op once it has ended. */
  cancel(): void;
}

export interface RedirectOptions {
  readonly redirectUri: URL;
  readonly state: string;
  readonly timeoutMs: number;
}

/**
 * Connections held at once, across both address families. Past it the oldest is dropped rather
 * than the newest refused (what `server.maxConnections` would do): a page holding many idle
 * connections then cannot lock out the browser's redirect, which arrives on a fresh connection and
 * sends its request at once.
 */
const MAX_CONNECTIONS = 64;

/**
 * A browser sends its whole request at once, so a slow one is hostile (slowloris). Node enforces
 * these on its connection-checking tick, which defaults to 30 s (Node docs, http.createServer).
 */
const SERVER_OPTIONS: http.ServerOptions = {
  headersTimeout: 10_000,
  requestTimeout: 10_000,
  connectionsCheckingInterval: 1_000,
  // Twice Node's default: browsers attach every cookie other local web apps set on localhost.
  // With MAX_CONNECTIONS this bounds what the parsers buffer at about 2 MiB.
  maxHeaderSize: 32 * 1024,
};

/** How long a refused client may take to read its 400 page before its socket is dropped. */
const LINGER_MS = 2_000;

/** Most likely on a real redirect when the browser holds many cookies for localhost. */
const TOO_LARGE =
  'The browser sent more than zoom-tray accepts, most likely many cookies set on localhost by other apps. ' +
  'Delete the cookies for localhost in your browser, then start sign-in again.';

/** RFC 6749 §A.11: an authorization code is VSCHAR (printable ASCII). */
const CODE_SYNTAX = /^[\x20-\x7e]+$/;

/** OAuth parameters a redirect carries; each must appear at most once (RFC 6749 §3.1). */
const OAUTH_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri'];

function bindAddresses(hostname: string): string[] {
  // Browsers may resolve localhost to either family; listen on both so neither is refused.
  if (hostname === 'localhost') return ['127.0.0.1', '::1'];
  return [hostname === '[::1]' ? '::1' : hostname];
}

/** The Host values a browser sends for this port: a page on another origin cannot forge one (DNS rebinding guard). */
export function loopbackAuthorities(port: number): Set<string> {
  return new Set(['localhost', '127.0.0.1', '[::1]'].map((host) => `${host}:${port}`));
}

/**
 * The path and query of an origin-form request-target ("/path?query", RFC 9112 §3.2.1), the only
 * form a browser sends to a server. Absolute-form, authority-form and "*" are refused rather than
 * parsed: `new URL()` throws on some targets ("//[") and reads "//host/path" as another host.
 */
function originForm(target: string | undefined): { path: string; query: URLSearchParams } | undefined {
  if (!target?.startsWith('/')) return undefined;
  const mark = target.indexOf('?');
  if (mark === -1) return { path: target, query: new URLSearchParams() };
  // URLSearchParams never throws: broken percent-escapes stay literal, bad UTF-8 becomes U+FFFD.
  return { path: target.slice(0, mark), query: new URLSearchParams(target.slice(mark + 1)) };
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function portError(redirectUri: URL, err: NodeJS.ErrnoException): ZoomTrayError {
  const why = err.code === 'EADDRINUSE' ? 'is already in use by another program' : `cannot be opened (${err.code ?? err.message})`;
  return new ZoomTrayError(
    'usage',
    `Port ${redirectUri.port} on localhost, from the redirect URI ${redirectUri.href}, ${why}. ` +
      'Close that program, or pick another port in ZOOM_REDIRECT_URI (the redirect URI setting) and add the same URI to your Zoom app\'s allow list.',
    { cause: err },
  );
}

export type Verdict =
  | { readonly code: string }
  | { readonly oauthError: string; readonly description: string | null }
  | { readonly refused: { readonly title: string; readonly detail: string } };

const NOT_A_REDIRECT = { refused: { title: 'Not a sign-in redirect', detail: 'zoom-tray ignored this request.' } };

/** What judging a request reads of it. */
export type RedirectRequest = Pick<http.IncomingMessage, 'method' | 'url' | 'headersDistinct'>;

/** What a request means for the attempt. Never throws, whatever the request holds. */
export function judge(req: RedirectRequest, redirectUri: URL, state: string, authorities: Set<string>): Verdict {
  const hosts = req.headersDistinct['host'];
  const target = originForm(req.url);
  if (req.method !== 'GET' || hosts?.length !== 1 || !authorities.has(hosts[0]?.toLowerCase() ?? '')) return NOT_A_REDIRECT;
  if (!target || target.path !== redirectUri.pathname) return NOT_A_REDIRECT;
  const { query } = target;
  // Exactly one of each: with two states, which one was checked would depend on who reads it.
  if (OAUTH_PARAMS.some((name) => query.getAll(name).length > 1)) return NOT_A_REDIRECT;
  if (query.get('state') !== state) {
    return { refused: { title: 'Sign-in link expired', detail: 'This page is not from the current sign-in attempt. Start sign-in again from zoom-tray.' } };
  }
  const oauthError = query.get('error');
  if (oauthError !== null) return { oauthError, description: query.get('error_description') };
  const code = query.get('code');
  if (code === null || !CODE_SYNTAX.test(code)) {
    return { refused: { title: 'Sign-in incomplete', detail: 'Zoom sent no usable authorization code. Start sign-in again from zoom-tray.' } };
  }
  return { code };
}

/** Zoom's words, shown in the terminal and a notification: printable and short. */
function zoomSaid(error: string, description: string | null): string {
  return excerpt(description ? `${error}: ${description}` : error, 300);
}

/** What an error redirect (`?error=…`) ends the attempt with: the page's title, and the error. */
export function oauthFailure(oauthError: string, description: string | null): { readonly title: string; readonly error: ZoomTrayError } {
  const denied = oauthError === 'access_denied';
  const message = denied
    ? 'Sign-in was denied in the browser. Run sign-in again and choose "Allow" to let zoom-tray start your meetings.'
    : `Zoom could not sign you in (${zoomSaid(oauthError, description)}). Start sign-in again; if this repeats, check the Zoom app's settings.`;
  return { title: denied ? 'Sign-in denied' : 'Sign-in failed', error: new ZoomTrayError(denied ? 'signed-out' : 'zoom', message, { zoomCode: oauthError }) };
}

export async function waitForRedirect(options: RedirectOptions): Promise<RedirectWait> {
  const { redirectUri, state, timeoutMs } = options;
  const port = Number(redirectUri.port);
  const authorities = loopbackAuthorities(port);
  const servers: http.Server[] = [];
  // Oldest first (Set keeps insertion order), so the cap drops the connection waiting longest.
  const sockets = new Set<net.Socket>();
  let timer: NodeJS.Timeout | undefined;
  let settle: { resolve: (code: string) => void; reject: (err: Error) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The attempt may end (denied, timed out) before the caller awaits it, e.g. while the browser opens.
  code.catch(() => undefined);
  let done = false;

  /** Stops listening and drops every connection but `answering`, whose page Node still flushes. */
  const shutdown = (answering?: net.Socket): void => {
    clearTimeout(timer);
    for (const server of servers) server.close();
    for (const socket of sockets) if (socket !== answering) socket.destroy();
  };

  const finish = (outcome: { code: string } | { error: Error }, answering?: net.Socket): void => {
    if (done) return;
    done = true;
    // The answer went out with Connection: close, so Node ends that socket itself once the page is
    // flushed (socket.destroySoon): the browser gets the whole page, then nothing stays open.
    shutdown(answering);
    if ('code' in outcome) settle?.resolve(outcome.code);
    else settle?.reject(outcome.error);
  };

  const reply = (res: http.ServerResponse, status: number, title: string, detail: string): void => {
    res.writeHead(status, PAGE_HEADERS);
    res.end(resultPage(title, detail));
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const verdict = judge(req, redirectUri, state, authorities);
    if ('refused' in verdict) {
      reply(res, 400, verdict.refused.title, verdict.refused.detail);
    } else if ('oauthError' in verdict) {
      const { title, error } = oauthFailure(verdict.oauthError, verdict.description);
      reply(res, 200, title, error.message);
      finish({ error }, req.socket);
    } else {
      reply(res, 200, 'Signed in', 'You are signed in to zoom-tray. You can close this tab.');
      finish({ code: verdict.code }, req.socket);
    }
  };

  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const [oldest] = sockets;
    if (sockets.size > MAX_CONNECTIONS && oldest) {
      // Forgotten at once, not on 'close': connections accepted in the same tick must each evict another.
      sockets.delete(oldest);
      oldest.destroy();
    }
  };

  /** Requests Node's parser refused (bad method, broken or oversized header, too slow): a 400 page, and the wait goes on. */
  const refuse = (err: NodeJS.ErrnoException, stream: Duplex): void => {
    const socket = stream as net.Socket;
    // Already answered (the parser reports each further chunk again) or reset by the peer.
    if (!socket.writable) return;
    // A connection that never sent a byte may be a browser's preconnect about to carry the
    // redirect: drop it without an answer, so the browser retries on a new one instead of showing a 408.
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' && socket.bytesRead === 0) {
      socket.destroy();
      return;
    }
    const [title, detail] = err.code === 'HPE_HEADER_OVERFLOW' ? ['Request too large', TOO_LARGE] : [NOT_A_REDIRECT.refused.title, NOT_A_REDIRECT.refused.detail];
    socket.end(rawResultResponse(400, title, detail));
    // Closing with unread input would reset the connection and could discard the page before the
    // client reads it, so wait briefly for the client to close first.
    socket.setTimeout(LINGER_MS, () => socket.destroy());
  };

  try {
    for (const host of bindAddresses(redirectUri.hostname)) {
      const server = http.createServer(SERVER_OPTIONS, handle);
      server.on('connection', track);
      server.on('clientError', refuse);
      try {
        await listen(server, host, port);
        servers.push(server);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Hosts without IPv6 still sign in over IPv4.
        if (host === '::1' && servers.length > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
        throw portError(redirectUri, err as NodeJS.ErrnoException);
      }
      // After listening, errors come from accept() (e.g. EMFILE under a connection flood): keep waiting.
      server.on('error', () => undefined);
    }
  } catch (err) {
    shutdown();
    throw err;
  }

  timer = setTimeout(() => {
    finish(
      {
        error: new ZoomTrayError(
          'signed-out',
          `Sign-in timed out: the browser did not come back to ${redirectUri.href} within ${describeSpan(timeoutMs)}. ` +
            'Start sign-in again and choose "Allow" on Zoom\'s page; if Zoom showed an error page instead, add this redirect URI to your Zoom app\'s allow list.',
        ),
      },
    );
  }, timeoutMs);

  return {
    code,
    cancel: () => finish({ error: new ZoomTrayError('signed-out', 'Sign-in was cancelled.') }),
  };
}
