// What the tray answers the CLI: only what it holds, exactly as the CLI would print it. Everything
// else (a meeting not held, an unknown account, an error to explain) is declined, and the CLI runs
// the command itself: its errors stay its own, word for word.
import type { AccountSlot } from '../app/account-slot';
import { accountsJson } from '../cli/commands/accounts';
import { isZoomTrayError } from '../lib/errors';
import type { Account, AccountList } from '../session/accounts';
import type { Cloud } from '../shared/clouds';
import type { TrayAnswer, TrayRequest } from './protocol';

export interface WarmTray {
  /** configDigest of the tray's environment. */
  readonly config: string;
  /** The tray has loaded its settings and warmed its accounts. */
  ready(): boolean;
  /** The account list, as the CLI reads it. */
  readonly accounts: { load(): Promise<AccountList>; find(email: string, cloud?: Cloud): Promise<Account> };
  /** The account slots, brought in step with that list first (the CLI may have changed it). */
  slots(): Promise<readonly Pick<AccountSlot, 'account' | 'signedIn' | 'servedFromCache' | 'sources' | 'core'>[]>;
}

function declined(why: 'other-config' | 'not-ready' | 'not-held'): TrayAnswer {
  return { ok: false, why };
}

export async function answerRequest(request: TrayRequest, tray: WarmTray): Promise<TrayAnswer> {
  if (request.config !== tray.config) return declined('other-config');
  if (!tray.ready()) return declined('not-ready');
  if (request.command === 'accounts-json') return { ok: true, stdout: accountsJson(await tray.accounts.load()) };
  let account: Account | undefined;
  try {
    account = request.account ? await tray.accounts.find(request.account.email, request.account.cloud) : (await tray.accounts.load()).default;
  } catch (err) {
    // Not signed in, or two of that e-mail: the CLI says so in its own words.
    if (isZoomTrayError(err) && err.kind === 'usage') return declined('not-held');
    throw err;
  }
  const slot = account && (await tray.slots()).find((s) => s.account?.entry === account.entry);
  if (!slot?.signedIn || !slot.servedFromCache(request.target)) return declined('not-held');
  try {
    const launch = await slot.core.start(request.target, slot.sources());
    return { ok: true, stdout: `${launch.url.href}\n` };
  } catch (err) {
    // No upcoming meeting for `next`, say: the CLI's error, not the tray's.
    if (isZoomTrayError(err)) return declined('not-held');
    throw err;
  }
}
