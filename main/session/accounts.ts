import { createHash } from 'node:crypto';
import path from 'node:path';
import { type Cloud, CLOUD_NAMES, CLOUDS, sameAccount } from '../shared/clouds';
import { describeError, isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { readSmallFile, writeFileAtomic } from '../lib/files';
import { log } from '../lib/log';
import { printable } from '../lib/redact';
import type { KeychainClient } from './keychain-client';
import { withFileLock } from './refresh-lock';
import { SESSION_ACCOUNT, START_CACHE_ACCOUNT } from './secret-store';

/** A signed-in Zoom account and the keychain entry that holds its sign-in. */
export interface Account {
  readonly email: string;
  readonly cloud: Cloud;
  readonly entry: string;
}

export interface AccountList {
  readonly accounts: readonly Account[];
  /** The account a command or the shortcut uses when none is named. */
  readonly default?: Account;
}

/** The index is a list of e-mail addresses; anything this big is not one. */
const MAX_BYTES = 256 * 1024;

/** How an account is named to the user: its e-mail, and its cloud when that is ZoomGov. */
export function accountLabel(account: Pick<Account, 'email' | 'cloud'>): string {
  return account.cloud === 'commercial' ? printable(account.email) : `${printable(account.email)} (${CLOUD_NAMES[account.cloud]})`;
}

/** The keychain entry of an account's start cache, beside its sign-in's. */
export function startCacheEntry(entry: string): string {
  return entry === SESSION_ACCOUNT ? START_CACHE_ACCOUNT : `${START_CACHE_ACCOUNT}:${entry.slice(SESSION_ACCOUNT.length + 1)}`;
}

/** The refresh lock of an account's sign-in: one per entry, so refreshing one account never waits on another. */
export function refreshLockFile(dataDir: string, service: string, entry: string): string {
  if (entry === SESSION_ACCOUNT) return path.join(dataDir, `refresh-${service}.lock`);
  return path.join(dataDir, `refresh-${service}-${createHash('sha256').update(entry).digest('hex').slice(0, 16)}.lock`);
}

/** The keychain entry an account signs in to when it does not hold `session`: its own, from its cloud and e-mail. */
function ownEntry(cloud: Cloud, email: string): string {
  return `${SESSION_ACCOUNT}:${cloud}:${email.toLowerCase()}`;
}

function parse(text: string): AccountList | undefined {
  let value: { v?: unknown; accounts?: unknown; default?: unknown };
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    return undefined;
  }
  if (value?.v !== 1 || !Array.isArray(value.accounts)) return undefined;
  const accounts: Account[] = [];
  for (const item of value.accounts as Record<string, unknown>[]) {
    const { email, cloud, entry } = item ?? {};
    if (typeof email !== 'string' || !email || typeof entry !== 'string' || !entry.startsWith(SESSION_ACCOUNT)) continue;
    if (!CLOUDS.includes(cloud as Cloud)) continue;
    if (!accounts.some((a) => sameAccount(a, { email, cloud: cloud as Cloud }))) accounts.push({ email, cloud: cloud as Cloud, entry });
  }
  const wanted = value.default as Record<string, unknown> | undefined;
  const chosen = accounts.find((a) => wanted && a.email === wanted.email && a.cloud === wanted.cloud);
  return { accounts, ...(chosen ?? accounts[0] ? { default: chosen ?? accounts[0] } : {}) };
}

/**
 * Which Zoom accounts are signed in, in `accounts-<service>.json` in the data folder (e-mail
 * addresses, not secrets: those stay in the keychain, one entry per account). Before there was
 * an index, zoom-tray held one sign-in in the entry `session`: that becomes the default account
 * the first time the index is read, with nothing for the user to do. Changes are made under a
 * lock and written atomically, so two processes adding accounts at once both land.
 */
export class AccountIndex {
  private readonly file: string;
  private readonly lockFile: string;

  constructor(
    dataDir: string,
    service: string,
    /** The e-mail in the single-account era's `session` entry, if there is one; `fresh`: asked of the keychain now. */
    private readonly legacyAccount: (options?: { fresh?: boolean }) => Promise<string | undefined>,
  ) {
    this.file = path.join(dataDir, `accounts-${service}.json`);
    this.lockFile = path.join(dataDir, `accounts-${service}.lock`);
  }

  async load(): Promise<AccountList> {
    const read = await this.read();
    if (read.list && read.list.accounts.length > 0) return read.list;
    // No list, or an empty one: a sign-in in the entry `session` is still an account (one made
    // before the list existed, or one a hand-edited list lost track of).
    const empty = (list: { list?: AccountList; absent: boolean }): boolean => list.absent || list.list?.accounts.length === 0;
    const email = await this.legacyAccount();
    if (!email) return read.list ?? { accounts: [] };
    const account: Account = { email, cloud: 'commercial', entry: SESSION_ACCOUNT };
    const migrated = { accounts: [account], default: account };
    // Written once, so later runs read the file instead of the keychain; only where there is no file
    // or an empty one (a broken one stays for the user to see), and under the lock, after another
    // look: an account added meanwhile must not be overwritten.
    if (empty(read)) {
      await withFileLock(this.lockFile, async () => {
        if (empty(await this.read())) await this.write(migrated);
      }).catch((err: unknown) => log.warn('the account list could not be written', err));
    }
    return migrated;
  }

  private async read(): Promise<{ list?: AccountList; absent: boolean }> {
    let text: string;
    try {
      text = await readSmallFile(this.file, MAX_BYTES);
    } catch (err) {
      const absent = (err as NodeJS.ErrnoException).code === 'ENOENT';
      if (!absent) log.warn(`the account list ${this.file} cannot be read; starting from the keychain's sign-in`, err);
      return { absent };
    }
    const list = parse(text);
    if (!list) log.warn(`the account list ${this.file} is not valid; starting from the keychain's sign-in`);
    return list ? { list, absent: false } : { absent: false };
  }

  /** The account an e-mail names; a usage error (nothing asked of Zoom yet) when none or two match. */
  async find(email: string, cloud?: Cloud): Promise<Account> {
    const { accounts } = await this.load();
    const matches = accounts.filter((a) => a.email.toLowerCase() === email.trim().toLowerCase() && (!cloud || a.cloud === cloud));
    if (matches.length === 1 && matches[0]) return matches[0];
    if (matches.length > 1) {
      throw new ZoomTrayError('usage', `${printable(email)} is signed in on both Zoom and ZoomGov: add --cloud commercial or --cloud gov.`);
    }
    const known = accounts.map(accountLabel).join(', ');
    const where = cloud ? ` on ${CLOUD_NAMES[cloud]}` : '';
    throw new ZoomTrayError('usage', `${printable(email)} is not signed in to zoom-tray${where}${known ? ` (signed in: ${known})` : ''}. \`zoom-tray accounts\` lists them; \`zoom-tray login\` adds one.`);
  }

  /**
   * Stores a sign-in for the account that just signed in: `save` writes its keychain entry, then the
   * index names it. The entry is the account's own, derived from its cloud and e-mail, whatever the
   * list says (a hand-edited list must not point a sign-in at another account's entry); only a
   * commercial account may have the entry `session`, when it is the first or holds it already, and
   * never while `session` holds someone else's sign-in. So one account looks exactly as it always
   * did (and a list rebuilt from that entry is right about its cloud). When the list cannot be
   * written, a sign-in the list did not already reach is undone (`undo`: revoked, deleted), not left
   * stored where nothing finds it.
   */
  async add(cloud: Cloud, email: string, save: (entry: string) => Promise<void>, undo: (entry: string) => Promise<void>): Promise<Account> {
    let unlisted: string | undefined;
    try {
      return await withFileLock(this.lockFile, async () => {
        const list = await this.load();
        const known = list.accounts.find((a) => sameAccount(a, { email, cloud }));
        const first = list.accounts.length === 0;
        const wantsSession = cloud === 'commercial' && (first || known?.entry === SESSION_ACCOUNT);
        const holder = wantsSession ? await this.legacyAccount({ fresh: true }) : undefined;
        const entry = wantsSession && (!holder || holder.toLowerCase() === email.toLowerCase()) ? SESSION_ACCOUNT : ownEntry(cloud, email);
        await save(entry);
        if (known?.entry !== entry) unlisted = entry;
        const account: Account = { email, cloud, entry };
        const accounts = known ? list.accounts.map((a) => (a === known ? account : a)) : [...list.accounts, account];
        await this.write({ accounts, default: list.default && !sameAccount(list.default, account) ? list.default : account });
        return account;
      });
    } catch (err) {
      if (!unlisted) throw err;
      const undone = await undo(unlisted).then(
        () => 'The sign-in was not kept: it was revoked at Zoom and removed from the keychain.',
        (undoErr: unknown) => `The sign-in could not be undone either (${describeError(undoErr)}); \`zoom-tray login\` again once the list can be saved.`,
      );
      throw new ZoomTrayError(isZoomTrayError(err) ? err.kind : 'local', `${describeError(err)} ${undone}`, { cause: err });
    }
  }

  /** Forgets an account (only while the list still gives it this entry); the default moves to the first one left. */
  async forget(account: Account): Promise<AccountList> {
    const gone = (a: Account): boolean => a.entry === account.entry && sameAccount(a, account);
    return withFileLock(this.lockFile, async () => {
      const list = await this.load();
      const accounts = list.accounts.filter((a) => !gone(a));
      if (accounts.length === list.accounts.length) return list;
      const keep = list.default && !gone(list.default) ? list.default : accounts[0];
      const next = { accounts, ...(keep ? { default: keep } : {}) };
      await this.write(next);
      return next;
    });
  }

  async setDefault(account: Pick<Account, 'email' | 'cloud'>): Promise<void> {
    await withFileLock(this.lockFile, async () => {
      const list = await this.load();
      const chosen = list.accounts.find((a) => sameAccount(a, account));
      if (chosen) await this.write({ accounts: list.accounts, default: chosen });
    });
  }

  /** Protected so a test can play a data folder that takes no writes (one root may still write to). */
  protected async write(list: AccountList): Promise<void> {
    const { accounts, default: chosen } = list;
    const text = `${JSON.stringify({ v: 1, default: chosen ? { email: chosen.email, cloud: chosen.cloud } : null, accounts }, null, 2)}\n`;
    try {
      await writeFileAtomic(this.file, text);
    } catch (err) {
      throw new ZoomTrayError('local', `The list of your accounts could not be saved to ${this.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Check that folder's permissions and free space, or set ZOOM_TRAY_DATA_DIR to another folder.`, { cause: err });
    }
  }
}

/** The e-mail inside a single-account era session entry, if it holds one. */
function sessionAccount(secret: string | undefined): string | undefined {
  try {
    const account = secret === undefined ? undefined : (JSON.parse(secret) as { account?: unknown }).account;
    return typeof account === 'string' && account ? account : undefined;
  } catch {
    return undefined;
  }
}

/** The account index of a keychain service, migrating its single-account sign-in when it has no list yet. */
export function accountIndexFor(keychain: KeychainClient, dataDir: string, service: string): AccountIndex {
  return new AccountIndex(dataDir, service, async (options) => sessionAccount(await keychain.get(service, SESSION_ACCOUNT, options)));
}
