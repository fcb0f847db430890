import path from 'node:path';
import { OAuthClient } from './auth/oauth-client';
import { signIn } from './auth/sign-in';
import type { Config } from './config';
import { ZoomTrayError } from './errors';
import { type Launch, startMeeting, type Target } from './meetings/launcher';
import { ZakCache } from './meetings/zak-cache';
import { withFileLock } from './session/refresh-lock';
import type { KeychainClient } from './session/keychain-client';
import { keychainStore } from './session/secret-store';
import { Session } from './session/session';
import { ZoomApi } from './zoom/api-client';
import { createHttpClient, type HttpClient } from './zoom/http';
import type { Meeting, ZoomUser } from './zoom/schemas';

export interface SignInRequest {
  readonly open: (authorizeUrl: URL) => Promise<void>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Where the click path gets the user and the meetings; the tray passes its prefetched copies. */
export interface StartSources {
  readonly user?: () => Promise<ZoomUser>;
  readonly upcoming?: () => Promise<readonly Meeting[]>;
}

const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;
export const REVOKE_BY_HAND = 'To end it at Zoom too, remove zoom-tray under Manage → Added Apps at marketplace.zoom.us.';

/** Everything a click needs, wired once from a Config; shared by the CLI and the tray. */
export class Core {
  readonly http: HttpClient;
  readonly oauth: OAuthClient;
  readonly session: Session;
  readonly api: ZoomApi;
  readonly zak: ZakCache;
  /** Start URLs may also point at the configured base when it is not Zoom's (the simulator). */
  readonly extraOrigins: readonly string[];

  constructor(
    readonly config: Config,
    keychain: KeychainClient,
    options: { httpTimeoutMs?: number } = {},
  ) {
    this.http = createHttpClient(options.httpTimeoutMs === undefined ? {} : { timeoutMs: options.httpTimeoutMs });
    this.oauth = new OAuthClient({ ...config, http: this.http });
    this.session = new Session({
      store: keychainStore(keychain, config.keychainService),
      refresh: (token) => this.oauth.refresh(token),
      lock: (fn) => withFileLock(path.join(config.dataDir, `refresh-${config.keychainService}.lock`), fn),
    });
    this.api = new ZoomApi({ apiBase: config.apiBase, http: this.http, tokens: this.session });
    this.zak = new ZakCache({ fetch: (ttl) => this.api.zak(ttl) });
    this.extraOrigins = [config.oauthBase.origin];
  }

  /** Browser sign-in; the user's email names the keychain entry. */
  async signIn(request: SignInRequest): Promise<ZoomUser> {
    const tokens = await signIn({
      oauth: this.oauth,
      redirectUri: this.config.redirectUri,
      open: request.open,
      timeoutMs: request.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    const probe = new ZoomApi({
      apiBase: this.config.apiBase,
      http: this.http,
      tokens: {
        current: async () => tokens.accessToken,
        renew: async () => {
          throw new ZoomTrayError('signed-out', 'Zoom refused the new sign-in. Run `zoom-tray login` again.');
        },
      },
    });
    const user = await probe.me();
    await this.session.save(user.email, tokens);
    this.zak.clear();
    return user;
  }

  async signOut(): Promise<{ account: string; notRevoked?: string } | undefined> {
    this.zak.clear();
    return this.session.signOut((token) => this.oauth.revoke(token));
  }

  start(target: Target, sources: StartSources = {}): Promise<Launch> {
    return startMeeting(target, {
      webBase: this.config.oauthBase,
      extraOrigins: this.extraOrigins,
      zak: () => this.zak.get(),
      user: sources.user ?? (() => this.api.me()),
      upcoming: sources.upcoming ?? (() => this.api.upcomingMeetings()),
      createInstant: () => this.api.createInstantMeeting(),
    });
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
