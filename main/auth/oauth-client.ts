import { endpoint } from '../shared/urls';
import { isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { excerpt, rememberSecret } from '../lib/redact';
import type { HttpClient, HttpResponse } from '../zoom/http';
import { oauthError, parseResponse, tokenResponse } from '../zoom/schemas';

export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch milliseconds. */
  readonly accessTokenExpiresAt: number;
}

export interface OAuthClientOptions {
  readonly oauthBase: URL;
  readonly clientId: string;
  /** Absent for a public PKCE client: then client_id goes in the form and no Basic header is sent. */
  readonly clientSecret?: string;
  readonly redirectUri: URL;
  readonly http: HttpClient;
  readonly now?: () => number;
}

const FORM = 'application/x-www-form-urlencoded';

/** Zoom's OAuth endpoints: authorize URL, code exchange, refresh, revoke. */
export class OAuthClient {
  constructor(private readonly options: OAuthClientOptions) {
    rememberSecret(options.clientSecret);
  }

  authorizeUrl(state: string, codeChallenge: string): URL {
    const url = endpoint(this.options.oauthBase, '/oauth/authorize');
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.options.clientId,
      redirect_uri: this.options.redirectUri.href,
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
    }).toString();
    return url;
  }

  async exchangeCode(code: string, codeVerifier: string): Promise<TokenSet> {
    rememberSecret(code);
    rememberSecret(codeVerifier);
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.options.redirectUri.href,
      code_verifier: codeVerifier,
    });
    return this.tokenRequest(form, 'sign-in');
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    return this.tokenRequest(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }), 'refresh');
  }

  /** Revokes the grant at Zoom; a token Zoom no longer knows counts as revoked. */
  async revoke(token: string): Promise<void> {
    const url = endpoint(this.options.oauthBase, '/oauth/revoke');
    url.search = new URLSearchParams({ token }).toString();
    const res = await this.post(url, new URLSearchParams());
    if (res.status >= 200 && res.status < 300) return;
    const error = this.errorFrom(res, 'sign-out');
    if (error.details.tokenRejected) return;
    // Said after "signed out on this computer": what Zoom answered, not advice to retry.
    throw new ZoomTrayError('zoom', `Zoom did not confirm the revocation (HTTP ${res.status}${error.details.zoomCode === undefined ? '' : `, ${excerpt(String(error.details.zoomCode), 100)}`}).`, {
      ...error.details,
      cause: error,
    });
  }

  private async tokenRequest(form: URLSearchParams, what: 'sign-in' | 'refresh'): Promise<TokenSet> {
    const res = await this.post(endpoint(this.options.oauthBase, '/oauth/token'), form);
    if (res.status < 200 || res.status >= 300) throw this.errorFrom(res, what);
    let body;
    try {
      body = parseResponse(tokenResponse, res.json, 'the token request');
    } catch (err) {
      // Zoom answered 2xx, so it may well have issued (and rotated) tokens we cannot read.
      throw isZoomTrayError(err) ? new ZoomTrayError(err.kind, err.message, { maybeDelivered: true, cause: err }) : err;
    }
    rememberSecret(body.access_token);
    rememberSecret(body.refresh_token);
    return {
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      accessTokenExpiresAt: (this.options.now ?? Date.now)() + body.expires_in * 1000,
    };
  }

  private post(url: URL, form: URLSearchParams): Promise<HttpResponse> {
    const headers: Record<string, string> = { 'Content-Type': FORM };
    const { clientId, clientSecret } = this.options;
    // Seen again at each use, so the redactor never lets go of it while the tray runs (redact.ts).
    rememberSecret(clientSecret);
    if (clientSecret) {
      headers.Authorization = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
    }
    return this.options.http.send({ method: 'POST', url, headers, body: form.toString() });
  }

  private errorFrom(res: HttpResponse, what: 'sign-in' | 'refresh' | 'sign-out'): ZoomTrayError {
    const parsed = oauthError.safeParse(res.json);
    const body = parsed.success ? parsed.data : {};
    // Zoom's words, or a proxy's in their place: a part at most.
    const reason = excerpt(body.reason ?? body.error ?? `HTTP ${res.status}`, 200);
    const zoomCode = body.error ?? res.status;
    if (res.status === 429) {
      return new ZoomTrayError('zoom', `Zoom's rate limit was reached during ${what} (${reason}). Try again in a minute.`, {
        zoomCode,
        rateLimited: {},
      });
    }
    if (body.error === 'invalid_client' || res.status === 401) {
      return new ZoomTrayError(
        'zoom',
        `Zoom rejected this app's client credentials (${reason}). Check ZOOM_CLIENT_ID, and ZOOM_CLIENT_SECRET if your Zoom app has one.`,
        { zoomCode },
      );
    }
    if (body.error === 'invalid_grant') {
      const message =
        what === 'sign-in'
          ? `Zoom did not accept the sign-in code (${reason}). Run \`zoom-tray login\` again.`
          : `Zoom ended this sign-in (${reason}). Run \`zoom-tray login\` to sign in again.`;
      return new ZoomTrayError('signed-out', message, { zoomCode, tokenRejected: what !== 'sign-in' });
    }
    if (res.status >= 500) {
      return new ZoomTrayError('zoom', `Zoom's sign-in service failed (HTTP ${res.status}) during ${what}. Try again in a minute.`, {
        zoomCode,
        maybeDelivered: true,
      });
    }
    // Zoom answers a spent refresh token with invalid_grant (above). Any other refusal of a refresh
    // may have come after Zoom rotated the token anyway, so the caller asks once more, as for a lost
    // answer: that answer tells which (session.ts, refreshOnce).
    return new ZoomTrayError('zoom', `Zoom refused the ${what} request (${reason}).`, { zoomCode, maybeDelivered: what === 'refresh' });
  }
}
