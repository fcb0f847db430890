import http from 'node:http';
import { isLoopbackHost } from '../urls';
import { ZoomTrayError } from '../errors';
import { PAGE_CSP, resultPage } from './pages';

/**
 * A one-shot loopback listener for the OAuth redirect (RFC 8252 §7.3). It listens on exactly the
 * host and port of the registered redirect URI, answers anything that is not the real redirect
 * with 400 and keeps waiting, and closes as soon as the attempt ends.
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

function bindAddresses(hostname: string): string[] {
  // Browsers may resolve localhost to either family; listen on both so neither is refused.
  if (hostname === 'localhost') return ['127.0.0.1', '::1'];
  return [hostname === '[::1]' ? '::1' : hostname];
}

function isLoopbackAuthority(host: string | undefined, port: number): boolean {
  if (!host) return false;
  try {
    const url = new URL(`http://${host}`);
    return isLoopbackHost(url.hostname) && url.port === String(port);
  } catch {
    return false;
  }
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
  );
}

export async function waitForRedirect(options: RedirectOptions): Promise<RedirectWait> {
  const { redirectUri, state, timeoutMs } = options;
  const port = Number(redirectUri.port);
  const servers: http.Server[] = [];
  let settle: { resolve: (code: string) => void; reject: (err: Error) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The attempt may end (denied, timed out) before the caller awaits it, e.g. while the browser opens.
  code.catch(() => undefined);
  let done = false;

  const finish = (outcome: { code: string } | { error: Error }): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    for (const server of servers) {
      server.close();
      server.closeIdleConnections();
    }
    if ('code' in outcome) settle?.resolve(outcome.code);
    else settle?.reject(outcome.error);
  };

  const reply = (res: http.ServerResponse, status: number, title: string, detail: string): void => {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': PAGE_CSP,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      Connection: 'close',
    });
    res.end(resultPage(title, detail));
  };

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    // A page on another origin cannot forge a loopback Host header (DNS rebinding guard).
    const hostOk = isLoopbackAuthority(req.headers.host, port);
    const url = new URL(req.url ?? '/', `http://localhost:${port}`);
    if (done || req.method !== 'GET' || !hostOk || url.pathname !== redirectUri.pathname) {
      reply(res, 400, 'Not a sign-in redirect', 'zoom-tray ignored this request.');
      return;
    }
    if (url.searchParams.get('state') !== state) {
      reply(res, 400, 'Sign-in link expired', 'This page is not from the current sign-in attempt. Start sign-in again from zoom-tray.');
      return;
    }
    const error = url.searchParams.get('error');
    if (error) {
      const denied = error === 'access_denied';
      const message = denied
        ? 'Sign-in was denied in the browser. Run sign-in again and choose "Allow" to let zoom-tray start your meetings.'
        : `Zoom could not sign you in (${error}${url.searchParams.get('error_description') ? `: ${url.searchParams.get('error_description')}` : ''}).`;
      reply(res, 200, denied ? 'Sign-in denied' : 'Sign-in failed', message);
      finish({ error: new ZoomTrayError(denied ? 'signed-out' : 'zoom', message, { zoomCode: error }) });
      return;
    }
    const authCode = url.searchParams.get('code');
    if (!authCode) {
      reply(res, 400, 'Sign-in incomplete', 'Zoom sent no authorization code. Start sign-in again from zoom-tray.');
      return;
    }
    reply(res, 200, 'Signed in', 'You are signed in to zoom-tray. You can close this tab.');
    finish({ code: authCode });
  };

  try {
    for (const host of bindAddresses(redirectUri.hostname)) {
      const server = http.createServer(handle);
      try {
        await listen(server, host, port);
        servers.push(server);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // Hosts without IPv6 still sign in over IPv4.
        if (host === '::1' && servers.length > 0 && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
        throw portError(redirectUri, err as NodeJS.ErrnoException);
      }
    }
  } catch (err) {
    for (const server of servers) server.close();
    throw err;
  }

  const timer = setTimeout(() => {
    const minutes = Math.round(timeoutMs / 60_000);
    const span = minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(timeoutMs / 1000)} seconds`;
    finish({ error: new ZoomTrayError('signed-out', `Sign-in timed out after ${span} without an answer from the browser. Start sign-in again.`) });
  }, timeoutMs);
  timer.unref?.();

  return {
    code,
    cancel: () => finish({ error: new ZoomTrayError('signed-out', 'Sign-in was cancelled.') }),
  };
}
