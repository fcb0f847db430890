import type { OAuthClient, TokenSet } from './oauth-client';
import { waitForRedirect } from './loopback-redirect';
import { challengeS256, createState, createVerifier } from './pkce';

export interface SignInOptions {
  readonly oauth: OAuthClient;
  readonly redirectUri: URL;
  /** Shows Zoom's consent page: the system browser, or stdout for `login --no-open`. */
  readonly open: (authorizeUrl: URL) => Promise<void>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Authorization Code + PKCE in the system browser (RFC 8252): the loopback listener is up before
 * the browser opens, so a taken port fails at once instead of after the user clicked "Allow".
 */
export async function signIn(options: SignInOptions): Promise<TokenSet> {
  const verifier = createVerifier();
  const state = createState();
  const wait = await waitForRedirect({ redirectUri: options.redirectUri, state, timeoutMs: options.timeoutMs });
  const onAbort = (): void => wait.cancel();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) wait.cancel();
  try {
    await options.open(options.oauth.authorizeUrl(state, challengeS256(verifier)));
    const code = await wait.code;
    return await options.oauth.exchangeCode(code, verifier);
  } catch (err) {
    wait.cancel();
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
