import * as z from 'zod/mini';
import type { TokenSet } from '../auth/oauth-client';
import { isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import type { TokenSource } from '../zoom/api-client';
import { SESSION_ACCOUNT, type SecretStore } from './secret-store';

export interface SessionDeps {
  readonly store: SecretStore;
  /** Zoom's refresh grant; rotates the refresh token on every call. */
  readonly refresh: (refreshToken: string) => Promise<TokenSet>;
  /** Runs `fn` while no other process refreshes the same session. */
  readonly lock: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly now?: () => number;
  /** The keychain account holding this sign-in: one per Zoom account (see accounts.ts). */
  readonly entry?: string;
  /**
   * Whose sign-in the entry must hold. An entry holding another account's (the entry was freed and
   * taken by an account added since) reads as signed out: its tokens never serve this account.
   */
  readonly expected?: string;
  /** Told when this sign-in turned out to be gone: Zoom refused it, or the entry is empty. */
  readonly ended?: () => void;
}


/** What the keychain entry holds: who, the refresh token, and the access token so CLI runs need not rotate. */
const storedSession = z.object({
  v: z.literal(2),
  account: z.string().check(z.minLength(1)),
  refreshToken: z.string().check(z.minLength(1)),
  accessToken: z.string().check(z.minLength(1)),
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
  /** The cached tokens are newer than the keychain's (its write failed): they are the only live ones. */
  private unsaved = false;

  readonly entry: string;

  constructor(private readonly deps: SessionDeps) {
    this.entry = deps.entry ?? SESSION_ACCOUNT;
  }

  /** Who the tokens in memory belong to, without asking the keychain. */
  get signedInAs(): string | undefined {
    return this.cached?.account;
  }

  /** The signed-in Zoom account (email), straight from the keychain; primes the in-memory tokens. */
  async account(): Promise<string | undefined> {
    // Unsaved tokens are the only live ones: never swap them for the keychain's older copy.
    if (this.unsaved) return this.cached?.account;
    const entry = await this.read();
    this.cached = entry;
    return entry?.account;
  }

  /** Whose sign-in the keychain entry holds now, read afresh: what a write beside it checks under the lock. */
  async holder(): Promise<string | undefined> {
    return (await this.read({ fresh: true }))?.account;
  }

  /** Stores a fresh sign-in, replacing any earlier one. */
  async save(account: string, tokens: TokenSet): Promise<void> {
    await this.deps.store.set(this.entry, serialize({ account, tokens }));
    this.cached = { account, tokens };
    this.unsaved = false;
  }

  async current(): Promise<string> {
    if (this.unsaved) await this.persist();
    if (this.cached && (this.unsaved || this.fresh(this.cached.tokens))) {
      return this.fresh(this.cached.tokens) ? this.cached.tokens.accessToken : this.renew(this.cached.tokens.accessToken);
    }
    const entry = await this.read();
    if (!entry) throw this.signedOut(true);
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
   * `notRevoked` says why. A network or keychain failure keeps everything as it was. Done under the
   * refresh lock: a renewal under way in another process would otherwise save its new tokens after
   * the delete, and the sign-in would come back.
   */
  signOut(revoke: (accessToken: string) => Promise<void>): Promise<{ account: string; notRevoked?: string } | undefined> {
    return this.deps.lock(async () => {
      const entry = this.unsaved ? this.cached : await this.read({ fresh: true });
      if (!entry) return undefined;
      let notRevoked: string | undefined;
      try {
        // The lock is held already: renew directly rather than through renew(), which takes it.
        await revoke(this.fresh(entry.tokens) ? entry.tokens.accessToken : await this.refreshFrom(entry, true));
      } catch (err) {
        if (!isZoomTrayError(err) || err.kind === 'network' || err.kind === 'keychain' || err.kind === 'local') throw err;
        if (!err.details.tokenRejected) notRevoked = err.message;
      }
      await this.deps.store.delete(this.entry);
      this.forget();
      return { account: entry.account, ...(notRevoked ? { notRevoked } : {}) };
    });
  }

  /**
   * Tokens renewed while the keychain could not take them are kept only here: says so, loudly, when
   * the process is about to end with them (the CLI), since the next run would have to sign in again.
   */
  async flush(): Promise<void> {
    if (!this.unsaved) return;
    const error = await this.persist();
    if (error) {
      throw new ZoomTrayError(
        'keychain',
        `Zoom renewed your sign-in, but the OS keychain did not take the new one (${error.message}), so the next run will have to sign in again. Unlock the keychain, then run \`zoom-tray login\`.`,
        { cause: error },
      );
    }
  }

  private async persist(): Promise<Error | undefined> {
    if (!this.cached) return undefined;
    try {
      await this.deps.store.set(this.entry, serialize(this.cached));
      this.unsaved = false;
      return undefined;
    } catch (err) {
      log.warn('the renewed sign-in could not be saved in the keychain; keeping it in memory and trying again', err);
      return err as Error;
    }
  }

  private async rotate(stale: string): Promise<string> {
    // Unsaved tokens are newer than anything the keychain holds.
    const entry = this.unsaved ? this.cached : await this.read({ fresh: true });
    if (!entry) throw this.signedOut(true);
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
      tokens = await this.refreshOnce(entry.tokens.refreshToken);
    } catch (err) {
      if (!(isZoomTrayError(err) && err.details.tokenRejected)) throw err;
      // A writer outside the lock (an older build, another machine's sync) may have rotated it.
      const latest = await this.read({ fresh: true });
      if (latest && latest.tokens.refreshToken !== entry.tokens.refreshToken) {
        if (this.fresh(latest.tokens)) return (this.cached = latest).tokens.accessToken;
        if (mayRetry) return this.refreshFrom(latest, false);
      }
      if (latest?.tokens.refreshToken === entry.tokens.refreshToken) await this.deps.store.delete(this.entry);
      this.forget();
      this.deps.ended?.();
      throw err;
    }
    // Kept in memory even if the keychain write fails, so this process does not lose the session:
    // the old refresh token is already dead, and these are the only live ones.
    this.cached = { account: entry.account, tokens };
    this.unsaved = true;
    await this.persist();
    return tokens.accessToken;
  }

  /**
   * Zoom retires the old refresh token the moment it answers, so an answer lost on the way (a
   * dropped connection, a timeout, a garbled body) may already have ended the sign-in. Asking once
   * more with the same token tells which: Zoom either answers now, or says the token is spent.
   */
  private async refreshOnce(refreshToken: string): Promise<TokenSet> {
    try {
      return await this.deps.refresh(refreshToken);
    } catch (first) {
      if (!(isZoomTrayError(first) && first.details.maybeDelivered)) throw first;
      try {
        return await this.deps.refresh(refreshToken);
      } catch (second) {
        if (!(isZoomTrayError(second) && second.details.tokenRejected)) throw first;
        throw new ZoomTrayError(
          'signed-out',
          'Zoom renewed your sign-in, but its answer was lost on the way, and Zoom has already retired the previous sign-in. Run `zoom-tray login` to sign in again.',
          { tokenRejected: true, cause: first },
        );
      }
    }
  }

  /** `fresh` for every read under the lock: what decides there must be the keychain's latest, never a read made ahead. */
  private async read(options: { fresh?: boolean } = {}): Promise<Entry | undefined> {
    const secret = await this.deps.store.get(this.entry, options);
    if (secret === undefined) return undefined;
    const entry = deserialize(secret);
    if (!entry) {
      throw new ZoomTrayError(
        'signed-out',
        'The zoom-tray entry in the OS keychain cannot be read (it was changed outside zoom-tray). Run `zoom-tray login` to replace it.',
      );
    }
    const { expected } = this.deps;
    return expected && entry.account.toLowerCase() !== expected.toLowerCase() ? undefined : entry;
  }

  private fresh(tokens: TokenSet): boolean {
    return tokens.accessTokenExpiresAt - EXPIRY_MARGIN_MS > (this.deps.now ?? Date.now)();
  }

  private forget(): void {
    this.cached = undefined;
    this.unsaved = false;
  }

  private signedOut(gone = false): ZoomTrayError {
    this.forget();
    if (gone) this.deps.ended?.();
    return new ZoomTrayError('signed-out', NOT_SIGNED_IN, gone ? { entryGone: true } : {});
  }
}

function serialize(entry: Entry): string {
  return JSON.stringify({ v: 2, account: entry.account, ...entry.tokens });
}

function deserialize(secret: string): Entry | undefined {
  try {
    const parsed = storedSession.safeParse(JSON.parse(secret));
    if (!parsed.success) return undefined;
    const { account, refreshToken, accessToken, accessTokenExpiresAt } = parsed.data;
    return { account, tokens: { refreshToken, accessToken, accessTokenExpiresAt } };
  } catch {
    return undefined;
  }
}
