import { z } from 'zod';
import type { TokenSet } from '../auth/oauth-client';
import { isZoomTrayError, ZoomTrayError } from '../errors';
import type { TokenSource } from '../zoom/api-client';
import type { SecretStore } from './secret-store';

export interface SessionDeps {
  readonly store: SecretStore;
  /** Zoom's refresh grant; rotates the refresh token on every call. */
  readonly refresh: (refreshToken: string) => Promise<TokenSet>;
  /** Runs `fn` while no other process refreshes the same session. */
  readonly lock: <T>(fn: () => Promise<T>) => Promise<T>;
}

/** What the keychain entry holds: the refresh token, and the access token so CLI runs need not rotate. */
const storedTokens = z.object({
  v: z.literal(1),
  refreshToken: z.string().min(1),
  accessToken: z.string().min(1),
  accessTokenExpiresAt: z.number(),
});

interface Entry {
  readonly account: string;
  readonly tokens: TokenSet;
}

/** An access token this close to expiry is renewed first rather than sent and refused. */
const EXPIRY_MARGIN_MS = 60_000;

const NOT_SIGNED_IN = 'You are not signed in to Zoom. Run `zoom-tray login` first.';

/**
 * The token lifecycle: memory → keychain → refresh. Refreshes are single-flight in this process and
 * serialised across processes; the rotated refresh token is saved before its access token is used,
 * and the keychain entry is deleted only when Zoom has rejected the latest refresh token.
 */
export class Session implements TokenSource {
  private cached: Entry | undefined;
  private inflight: Promise<string> | undefined;

  constructor(private readonly deps: SessionDeps) {}

  /** The signed-in Zoom account (email), straight from the keychain; primes the in-memory tokens. */
  async account(): Promise<string | undefined> {
    const entry = await this.read();
    this.cached = entry;
    return entry?.account;
  }

  /** Stores a fresh sign-in; any other account's entry for this service goes. */
  async save(account: string, tokens: TokenSet): Promise<void> {
    await this.deps.store.set(account, serialize(tokens));
    this.cached = { account, tokens };
    for (const other of await this.deps.store.list()) {
      if (other.account !== account) await this.deps.store.delete(other.account);
    }
  }

  async current(): Promise<string> {
    if (this.cached && this.fresh(this.cached.tokens)) return this.cached.tokens.accessToken;
    const entry = await this.read();
    if (!entry) throw this.signedOut();
    this.cached = entry;
    return this.fresh(entry.tokens) ? entry.tokens.accessToken : this.renew(entry.tokens.accessToken);
  }

  renew(stale: string): Promise<string> {
    this.inflight ??= this.deps.lock(() => this.rotate(stale)).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /**
   * Revokes the grant at Zoom, then deletes the keychain entry; undefined when nobody was signed in.
   * Signing out is the user's own wish, so when Zoom refuses the revocation the entry still goes and
   * `notRevoked` says why. A network or keychain failure keeps everything as it was.
   */
  async signOut(revoke: (accessToken: string) => Promise<void>): Promise<{ account: string; notRevoked?: string } | undefined> {
    const entry = await this.read();
    if (!entry) return undefined;
    let notRevoked: string | undefined;
    try {
      await revoke(await this.current());
    } catch (err) {
      if (!isZoomTrayError(err) || err.kind === 'network' || err.kind === 'keychain') throw err;
      if (!err.details.tokenRejected) notRevoked = err.message;
    }
    await this.deps.store.delete(entry.account);
    this.cached = undefined;
    return { account: entry.account, ...(notRevoked ? { notRevoked } : {}) };
  }

  private async rotate(stale: string): Promise<string> {
    const entry = await this.read();
    if (!entry) throw this.signedOut();
    // Another process may have refreshed while we waited for the lock.
    if (entry.tokens.accessToken !== stale && this.fresh(entry.tokens)) {
      this.cached = entry;
      return entry.tokens.accessToken;
    }
    return this.refreshFrom(entry, true);
  }

  private async refreshFrom(entry: Entry, mayRetry: boolean): Promise<string> {
    let tokens: TokenSet;
    try {
      tokens = await this.deps.refresh(entry.tokens.refreshToken);
    } catch (err) {
      if (!(isZoomTrayError(err) && err.details.tokenRejected)) throw err;
      // A writer outside the lock (an older build, another machine's sync) may have rotated it.
      const latest = await this.read();
      if (latest && latest.tokens.refreshToken !== entry.tokens.refreshToken) {
        if (this.fresh(latest.tokens)) return (this.cached = latest).tokens.accessToken;
        if (mayRetry) return this.refreshFrom(latest, false);
      }
      if (latest?.tokens.refreshToken === entry.tokens.refreshToken) await this.deps.store.delete(entry.account);
      this.cached = undefined;
      throw err;
    }
    // Kept in memory even if the keychain write fails, so this process does not lose the session.
    this.cached = { account: entry.account, tokens };
    await this.deps.store.set(entry.account, serialize(tokens));
    return tokens.accessToken;
  }

  private async read(): Promise<Entry | undefined> {
    const entries = await this.deps.store.list();
    if (entries.length === 0) return undefined;
    for (const { account, secret } of entries) {
      const tokens = deserialize(secret);
      if (tokens) return { account, tokens };
    }
    throw new ZoomTrayError(
      'signed-out',
      'The zoom-tray entry in the OS keychain cannot be read (it was changed outside zoom-tray). Run `zoom-tray login` to replace it.',
    );
  }

  private fresh(tokens: TokenSet): boolean {
    return tokens.accessTokenExpiresAt - EXPIRY_MARGIN_MS > Date.now();
  }

  private signedOut(): ZoomTrayError {
    this.cached = undefined;
    return new ZoomTrayError('signed-out', NOT_SIGNED_IN);
  }
}

function serialize(tokens: TokenSet): string {
  return JSON.stringify({ v: 1, ...tokens });
}

function deserialize(secret: string): TokenSet | undefined {
  try {
    const parsed = storedTokens.safeParse(JSON.parse(secret));
    if (!parsed.success) return undefined;
    const { refreshToken, accessToken, accessTokenExpiresAt } = parsed.data;
    return { refreshToken, accessToken, accessTokenExpiresAt };
  } catch {
    return undefined;
  }
}
