import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Cloud, CLOUD_NAMES, CLOUDS, sameAccount } from '../shared/clouds';
import { describeError, isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { readSmallFile, writeFileAtomic } from '../lib/files';
import { log } from '../lib/log';
import { excerpt, printable } from '../lib/redact';
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
/** Accounts an error lists when a name matches none. */
const MAX_LISTED = 5;

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

/**
 * The account list the keychain's entries make: `session` (whose e-mail is inside) first and the
 * default, then each `session:<cloud>:<email>` in order. Start caches and anything else are not accounts.
 */
export async function listFromKeychain(entries: readonly string[], sessionEmail: () => Promise<string | undefined>): Promise<AccountList> {
  const accounts: Account[] = [];
  const email = entries.includes(SESSION_ACCOUNT) ? await sessionEmail() : undefined;
  if (email) accounts.push({ email, cloud: 'commercial', entry: SESSION_ACCOUNT });
  for (const entry of [...entries].sort()) {
    const [, prefix, cloud, address] = /^([^:]*):([^:]*):(.+)$/.exec(entry) ?? [];
    if (prefix !== SESSION_ACCOUNT || !address || !CLOUDS.includes(cloud as Cloud) || entry !== ownEntry(cloud as Cloud, address)) continue;
    if (!accounts.some((a) => sameAccount(a, { email: address, cloud: cloud as Cloud }))) accounts.push({ email: address, cloud: cloud as Cloud, entry });
  }
  return { accounts, ...(accounts[0] ? { default: accounts[0] } : {}) };
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
  // The accounts seen (sameAccount's key): a list of thousands is read in one pass, not one per account.
  const seen = new Set<string>();
  for (const item of value.accounts as Record<string, unknown>[]) {
    const { email, cloud, entry } = item ?? {};
    if (typeof email !== 'string' || !email || typeof entry !== 'string' || !entry.startsWith(SESSION_ACCOUNT)) continue;
    if (!CLOUDS.includes(cloud as Cloud)) continue;
    const key = `${cloud as Cloud} ${email.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    accounts.push({ email, cloud: cloud as Cloud, entry });
  }
  const wanted = value.default as Record<string, unknown> | undefined;
  const chosen = accounts.find((a) => wanted && a.email === wanted.email && a.cloud === wanted.cloud);
  return { accounts, ...(chosen ?? accounts[0] ? { default: chosen ?? accounts[0] } : {}) };
}

/** What the account index needs of the keychain besides the sign-ins themselves. */
export interface AccountKeychain {
  /** The e-mail in the single-account era's `session` entry, if there is one; `fresh`: asked of the keychain now. */
  legacyAccount(options?: { fresh?: boolean }): Promise<string | undefined>;
  /** The names of this service's entries, to rebuild a list that cannot be read; rejects where the keychain cannot list them. */
  entries(): Promise<readonly string[]>;
}

/** What a look at the list file found: a list, nothing, or a file that is not one (and why). */
type Read = { readonly list: AccountList } | { readonly absent: true } | { readonly unreadable: string };

/**
 * Which Zoom accounts are signed in, in `accounts-<service>.json` in the data folder (e-mail
 * addresses, not secrets: those stay in the keychain, one entry per account). Before there was
 * an index, zoom-tray held one sign-in in the entry `session`: that becomes the default account
 * the first time the index is read, with nothing for the user to do. A file that cannot be read
 * is never overwritten by a shorter list: it is moved aside and the list rebuilt from the
 * keychain's entries, and `warn` tells the user. Changes are made under a lock and written
 * atomically, so two processes adding accounts at once both land.
 */
export class AccountIndex {
  private readonly file: string;
  private readonly lockFile: string;
  /** Said once per process: the tray reads the list again and again. */
  private readonly warned = new Set<string>();

  constructor(
    dataDir: string,
    service: string,
    private readonly keychain: AccountKeychain,
    /** Tells the user something about the list they must know (the CLI's stderr, the tray's notification). */
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.file = path.join(dataDir, `accounts-${service}.json`);
    this.lockFile = path.join(dataDir, `accounts-${service}.lock`);
  }

  async load(): Promise<AccountList> {
    const read = await this.read();
    if ('list' in read && read.list.accounts.length > 0) return read.list;
    // No list, or an empty one: a sign-in in the entry `session` is still an account (one made
    // before the list existed, or one a hand-edited list lost track of).
    if ('unreadable' in read) return (await withFileLock(this.lockFile, () => this.settled())).list;
    const email = await this.keychain.legacyAccount();
    if (!email) return 'list' in read ? read.list : { accounts: [] };
    return (await withFileLock(this.lockFile, () => this.settled(email))).list;
  }

  /**
   * Under the lock, after another look: the list as it stands, mended first where it has to be
   * (`sessionEmail`: the entry `session`'s e-mail, when just read). `stuck`: a file that cannot be
   * read and could not be rebuilt, which no change may overwrite.
   */
  private async settled(sessionEmail?: string): Promise<{ list: AccountList; stuck?: ZoomTrayError }> {
    const read = await this.read();
    if ('list' in read && read.list.accounts.length > 0) return { list: read.list };
    if ('unreadable' in read) return this.rebuild(read.unreadable);
    const email = sessionEmail ?? (await this.keychain.legacyAccount({ fresh: true }));
    if (!email) return { list: 'list' in read ? read.list : { accounts: [] } };
    const account: Account = { email, cloud: 'commercial', entry: SESSION_ACCOUNT };
    const migrated = { accounts: [account], default: account };
    // Written once, so later runs read the file instead of the keychain.
    await this.write(migrated).catch((err: unknown) => log.warn('the account list could not be written', err));
    return { list: migrated };
  }

  /** Rebuilds an unreadable list from the keychain's entries, keeping the file aside; where the keychain cannot list them, the file stays. */
  private async rebuild(why: string): Promise<{ list: AccountList; stuck?: ZoomTrayError }> {
    const problem = `The list of your accounts, ${this.file}, cannot be read (${why})`;
    let list: AccountList;
    try {
      list = await listFromKeychain(await this.keychain.entries(), () => this.keychain.legacyAccount({ fresh: true }));
    } catch (err) {
      const stuck = new ZoomTrayError(
        'local',
        `${problem}, and the keychain could not list your sign-ins to rebuild it (${describeError(err)}). It was left as it is: fix it or move it aside (its accounts then need \`zoom-tray login\` again), then try again.`,
        { cause: err },
      );
      this.tell(stuck.message);
      const email = await this.keychain.legacyAccount().catch(() => undefined);
      const account: Account | undefined = email ? { email, cloud: 'commercial', entry: SESSION_ACCOUNT } : undefined;
      return { list: account ? { accounts: [account], default: account } : { accounts: [] }, stuck };
    }
    const aside = `${this.file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await fs.rename(this.file, aside);
    } catch (err) {
      // The rebuilt list names every sign-in the keychain holds, so a change written in its place loses none.
      this.tell(`${problem}, nor moved aside (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): your accounts are read from the keychain meanwhile, and the next change to the list replaces it.`);
      return { list };
    }
    await this.write(list).catch((err: unknown) => log.warn('the rebuilt account list could not be written', err));
    const found = list.accounts.length > 0 ? `: ${list.accounts.map(accountLabel).join(', ')}` : ', which holds no sign-in';
    this.tell(`${problem}; it was kept as ${aside} and the list rebuilt from the keychain${found}. \`zoom-tray accounts use EMAIL\` picks the default.`);
    return { list };
  }

  private tell(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    log.warn(message);
    this.warn(message);
  }

  private async read(): Promise<Read> {
    let text: string;
    try {
      text = await readSmallFile(this.file, MAX_BYTES);
    } catch (err) {
      const { code } = err as NodeJS.ErrnoException;
      return code === 'ENOENT' ? { absent: true } : { unreadable: code ?? (err as Error).message };
    }
    const list = parse(text);
    return list ? { list } : { unreadable: 'it is not a list of accounts' };
  }

  /** The account an e-mail names; a usage error (nothing asked of Zoom yet) when none or two match. */
  async find(email: string, cloud?: Cloud): Promise<Account> {
    const { accounts } = await this.load();
    const wanted = email.trim().toLowerCase();
    const matches = accounts.filter((a) => a.email.toLowerCase() === wanted && (!cloud || a.cloud === cloud));
    if (matches.length === 1 && matches[0]) return matches[0];
    if (matches.length > 1) {
      throw new ZoomTrayError('usage', `${excerpt(email, 60)} is signed in on both Zoom and ZoomGov: add --cloud commercial or --cloud gov.`);
    }
    // One line, however long the list or its addresses (the file may hold anything).
    const listed = accounts.slice(0, MAX_LISTED).map((a) => accountLabel({ ...a, email: excerpt(a.email, 60) }));
    const known = `${listed.join(', ')}${accounts.length > MAX_LISTED ? `, and ${accounts.length - MAX_LISTED} more` : ''}`;
    const where = cloud ? ` on ${CLOUD_NAMES[cloud]}` : '';
    throw new ZoomTrayError('usage', `${excerpt(email, 60)} is not signed in to zoom-tray${where}${known ? ` (signed in: ${known})` : ''}. \`zoom-tray accounts\` lists them; \`zoom-tray login\` adds one.`);
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
        const { list, stuck } = await this.settled();
        if (stuck) throw stuck;
        const known = list.accounts.find((a) => sameAccount(a, { email, cloud }));
        const first = list.accounts.length === 0;
        const wantsSession = cloud === 'commercial' && (first || known?.entry === SESSION_ACCOUNT);
        const holder = wantsSession ? await this.keychain.legacyAccount({ fresh: true }) : undefined;
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
      const { list, stuck } = await this.settled();
      if (stuck) throw stuck;
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
      const { list, stuck } = await this.settled();
      if (stuck) throw stuck;
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
export function accountIndexFor(keychain: KeychainClient, dataDir: string, service: string, warn?: (message: string) => void): AccountIndex {
  return new AccountIndex(
    dataDir,
    service,
    {
      legacyAccount: async (options) => sessionAccount(await keychain.get(service, SESSION_ACCOUNT, options)),
      entries: () => keychain.list(service),
    },
    warn,
  );
}
