import { log } from '../lib/log';
import type { Zak } from '../zoom/api-client';
import type { SecretStore } from './secret-store';

/** Whose they are, the personal meeting ID and the latest ZAK: with both fresh, a start asks Zoom nothing. */
export interface StartFacts {
  readonly account: string;
  readonly pmi?: string;
  readonly zak?: Zak;
}

function parse(secret: string): StartFacts | undefined {
  try {
    const value = JSON.parse(secret) as Record<string, unknown>;
    if (value?.v !== 1 || typeof value.account !== 'string' || !value.account) return undefined;
    const pmi = typeof value.pmi === 'string' && /^\d{9,12}$/.test(value.pmi) ? value.pmi : undefined;
    const zak =
      typeof value.zak === 'string' && value.zak && typeof value.zakExpiresAt === 'number' && Number.isFinite(value.zakExpiresAt)
        ? { token: value.zak, expiresAt: value.zakExpiresAt }
        : undefined;
    return { account: value.account, ...(pmi ? { pmi } : {}), ...(zak ? { zak } : {}) };
  } catch {
    return undefined;
  }
}

/** What a start-cache write must hold and ask first: the account's lock, and whose sign-in its entry holds now. */
export interface StartCacheGuard {
  readonly lock: <T>(fn: () => Promise<T>) => Promise<T>;
  readonly holder: () => Promise<string | undefined>;
}

/**
 * A cache, so it never fails a command: a keychain that does not answer or an entry changed by hand
 * reads as empty, and a write that fails is logged. It is kept in the keychain rather than a file
 * because the ZAK starts meetings as the user. Its own entry, not the session's, so a stale write can
 * never undo a token rotation. Written only under the account's lock and only while the sign-in it
 * belongs to is still stored: a sign-out (which deletes the sign-in under that lock, then this) can
 * never be followed by a ZAK fetched before it.
 */
export class StartCache {
  /** `entry`: the keychain account of this cache (one per Zoom account, beside its sign-in's). */
  constructor(
    private readonly store: SecretStore,
    private readonly entry: string,
    private readonly guard: StartCacheGuard,
  ) {}

  async load(): Promise<StartFacts | undefined> {
    try {
      const secret = await this.store.get(this.entry);
      return secret === undefined ? undefined : parse(secret);
    } catch (err) {
      log.debug(`start cache not read: ${(err as Error).message}`);
      return undefined;
    }
  }

  async save(facts: StartFacts): Promise<void> {
    const { account, pmi, zak } = facts;
    try {
      await this.guard.lock(async () => {
        if ((await this.guard.holder())?.toLowerCase() !== account.toLowerCase()) return;
        await this.store.set(this.entry, JSON.stringify({ v: 1, account, pmi, zak: zak?.token, zakExpiresAt: zak?.expiresAt }));
      });
    } catch (err) {
      log.warn('the start cache could not be saved in the keychain', err);
    }
  }

  /** After the sign-in itself is gone (no write can land after that); a failure here is logged, the sign-out stands. */
  async clear(): Promise<void> {
    try {
      await this.store.delete(this.entry);
    } catch (err) {
      log.warn('the start cache could not be removed from the keychain', err);
    }
  }
}
