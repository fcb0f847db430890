import { OAuthClient, type TokenSet } from '../auth/oauth-client';
import { signIn } from '../auth/sign-in';
import { type Clock, systemClock } from '../lib/clock';
import type { Cloud } from '../shared/clouds';
import type { Config } from './config';
import { ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import { type Copyable, type CopyTarget, shareText } from '../meetings/invitation';
import { type Launch, startMeeting, type Target } from '../meetings/launcher';
import type { Meeting } from '../meetings/meeting';
import { ZakCache } from '../meetings/zak-cache';
import { ZoomMeetings } from '../meetings/zoom-meetings';
import { type Account, type AccountIndex, refreshLockFile, startCacheEntry } from '../session/accounts';
import { withFileLock } from '../session/refresh-lock';
import type { KeychainClient } from '../session/keychain-client';
import { keychainStore, SESSION_ACCOUNT } from '../session/secret-store';
import { Session } from '../session/session';
import { type StartFacts, StartCache } from '../session/start-cache';
import { type Zak, ZoomApi } from '../zoom/api-client';
import { createHttpClient, type HttpClient } from '../zoom/http';
import type { ZoomUser } from '../zoom/schemas';

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
/** What to do when Zoom did not confirm a revocation: remove the app by hand on the account's own marketplace. */
export function revokeByHand(cloud: Cloud): string {
  return `To end it at Zoom too, remove zoom-tray under Manage → Added Apps at ${cloud === 'gov' ? 'marketplace.zoomgov.com' : 'marketplace.zoom.us'}.`;
}

export interface CoreOptions {
  readonly httpTimeoutMs?: number;
  readonly clock?: Clock;
  /** The account this core serves; without one, whoever is in the entry `session` (one account, as always). */
  readonly account?: Account;
  /** Where sign-ins are recorded: with it, signing in adds (or renews) the account that signs in, and signing out removes it. */
  readonly accounts?: AccountIndex;
}

/** Everything a click needs for one Zoom account, wired once from its cloud's Config; shared by the CLI and the tray. */
export class Core {
  readonly http: HttpClient;
  readonly oauth: OAuthClient;
  readonly session: Session;
  readonly api: ZoomApi;
  readonly zak: ZakCache;
  /** The meetings of this account: those it hosts, and those it is invited to. */
  readonly meetings: ZoomMeetings;
  /** Start URLs may also point at the configured base when it is not Zoom's (the simulator). */
  readonly extraOrigins: readonly string[];
  /** What every expiry in this core is measured against. */
  readonly now: () => number;
  private readonly startCache: StartCache;
  /** The start cache as read once from the keychain, when it belongs to the signed-in account. */
  private facts: Promise<StartFacts | undefined> | undefined;
  /** Start-cache writes under way: a CLI run ends only after them. */
  private readonly writes = new Set<Promise<void>>();

  constructor(
    readonly config: Config,
    private readonly keychain: KeychainClient,
    private readonly options: CoreOptions = {},
  ) {
    const entry = options.account?.entry ?? SESSION_ACCOUNT;
    const clock = options.clock ?? systemClock;
    this.now = () => clock.now();
    this.http = createHttpClient(options.httpTimeoutMs === undefined ? {} : { timeoutMs: options.httpTimeoutMs });
    this.oauth = new OAuthClient({ ...config, http: this.http, now: this.now });
    const store = keychainStore(keychain, config.keychainService);
    const lock = <T>(fn: () => Promise<T>): Promise<T> => withFileLock(refreshLockFile(config.dataDir, config.keychainService, entry), fn);
    this.startCache = new StartCache(store, startCacheEntry(entry), { lock, holder: () => this.session.holder() });
    this.session = new Session({
      now: this.now,
      store,
      entry,
      ...(options.account ? { expected: options.account.email } : {}),
      // A sign-in Zoom ended takes its kept ZAK with it (a start key outlives its refresh token by up
      // to two hours), and leaves the list, so the default moves to one that works.
      ended: () => void this.track(this.endedAtZoom()),
      refresh: (token) => this.oauth.refresh(token),
      lock,
    });
    this.api = new ZoomApi({ apiBase: config.apiBase, http: this.http, tokens: this.session, now: this.now });
    this.zak = new ZakCache({
      fetch: (ttl) => this.api.zak(ttl),
      load: async () => (await this.startFacts())?.zak,
      save: (zak) => this.remember({ zak }),
      now: this.now,
    });
    this.extraOrigins = [config.oauthBase.origin];
    this.meetings = new ZoomMeetings(this.api, options.account, { webBase: config.oauthBase, origins: this.extraOrigins }, this.now);
  }

  /**
   * Browser sign-in. With an account index, the account that signs in is added (or renewed) in its
   * own keychain entry, whichever this core serves; without one, it replaces this core's sign-in.
   */
  async addAccount(request: SignInRequest): Promise<{ user: ZoomUser; account?: Account }> {
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
    const { accounts } = this.options;
    if (!accounts) {
      await this.keep(user, tokens);
      return { user };
    }
    /** `work` on a core of the account's own entry, closed after. */
    const onEntry = async (entry: string, work: (core: Core) => Promise<unknown>): Promise<void> => {
      const core = new Core(this.config, this.keychain, { ...this.options, account: { email: user.email, cloud: this.config.cloud, entry } });
      try {
        await work(core);
      } finally {
        await core.close();
      }
    };
    const account = await accounts.add(
      this.config.cloud,
      user.email,
      async (entry) => (entry === this.session.entry ? this.keep(user, tokens) : onEntry(entry, (core) => core.keep(user, tokens))),
      (entry) => onEntry(entry, (core) => core.signOut()),
    );
    return { user, account };
  }

  private async keep(user: ZoomUser, tokens: TokenSet): Promise<void> {
    await this.session.save(user.email, tokens);
    this.zak.clear();
    this.facts = Promise.resolve(undefined);
    await this.remember({ ...(user.pmi ? { pmi: user.pmi } : {}) });
  }

  /** Ends this core's sign-in (at Zoom, then here); with an account index, the account leaves it too. */
  async signOut(): Promise<{ account: string; notRevoked?: string } | undefined> {
    this.zak.clear();
    this.facts = Promise.resolve(undefined);
    const out = await this.session.signOut((token) => this.oauth.revoke(token));
    await this.startCache.clear();
    // The sign-out is done: a list that cannot be written (a read-only data folder) is logged, and
    // mends itself the next time that account is asked for and found gone.
    await this.track(this.forgetAccount(out?.account));
    return out;
  }

  private async endedAtZoom(): Promise<void> {
    this.zak.clear();
    this.facts = Promise.resolve(undefined);
    await this.startCache.clear();
    await this.forgetAccount();
  }

  /** Takes this core's account off the account list (only if the list still gives it this entry). */
  private async forgetAccount(email = this.options.account?.email): Promise<void> {
    if (email) await this.options.accounts?.forget({ email, cloud: this.config.cloud, entry: this.session.entry });
  }

  private track(work: Promise<void>): Promise<void> {
    const settled = work.catch((err: unknown) => log.warn('the account list could not be updated', err));
    this.writes.add(settled);
    void settled.finally(() => this.writes.delete(settled));
    return settled;
  }

  /** The user's profile from Zoom; a changed personal meeting ID is kept for the next start. */
  async me(): Promise<ZoomUser> {
    const user = await this.api.me();
    if (user.pmi && user.pmi !== (await this.startFacts())?.pmi) await this.remember({ pmi: user.pmi });
    return user;
  }

  /** The personal meeting ID: kept from an earlier run, else asked of Zoom (and kept). */
  private async pmi(): Promise<string | undefined> {
    return (await this.startFacts())?.pmi ?? (await this.me()).pmi;
  }

  private startFacts(): Promise<StartFacts | undefined> {
    this.facts ??= Promise.all([this.session.signedInAs ?? this.session.account(), this.startCache.load()]).then(
      ([account, facts]) => (facts && account && facts.account === account ? facts : undefined),
      () => undefined,
    );
    return this.facts;
  }

  private async remember(patch: { pmi?: string; zak?: Zak }): Promise<void> {
    const account = this.session.signedInAs;
    if (!account) return;
    const known = await this.startFacts();
    const pmi = patch.pmi ?? known?.pmi;
    const zak = patch.zak ?? known?.zak;
    const facts: StartFacts = { account, ...(pmi ? { pmi } : {}), ...(zak ? { zak } : {}) };
    this.facts = Promise.resolve(facts);
    await this.track(this.startCache.save(facts));
  }

  start(target: Target, sources: StartSources = {}): Promise<Launch> {
    return startMeeting(target, {
      webBase: this.config.oauthBase,
      extraOrigins: this.extraOrigins,
      zak: () => this.zak.get(),
      pmi: sources.user ? async () => (await sources.user?.())?.pmi : () => this.pmi(),
      upcoming: sources.upcoming ?? (() => this.meetings.fetch()),
      createInstant: () => this.api.createInstantMeeting(),
      now: this.now,
    });
  }

  /** Zoom's invitation, or the meeting ID and passcode, of a meeting this account hosts (one request, or two for `next` without a list). */
  share(what: Copyable, target: CopyTarget, sources: StartSources = {}): Promise<string> {
    return shareText(what, target, {
      pmi: sources.user ? async () => (await sources.user?.())?.pmi : () => this.pmi(),
      upcoming: sources.upcoming ?? (() => this.meetings.fetch()),
      invitation: (id) => this.api.invitation(id),
      passcode: (id) => this.api.passcode(id),
      now: this.now,
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.writes]);
    await this.http.close();
  }
}
