// What the tray answers the CLI: only what it holds, exactly as the CLI would print it. Everything
// else (a meeting not held, an unknown account, an error to explain) is declined, and the CLI runs
// the command itself: its errors stay its own, word for word.
import type { AccountSlot } from '../app/account-slot';
import { accountsJson } from '../cli/commands/accounts';
import { nextChoice } from '../cli/commands/join';
import { meetingsJson } from '../cli/commands/meetings';
import { agenda } from '../meetings/agenda';
import { type Meeting, upcoming } from '../meetings/meeting';
import { isZoomTrayError } from '../lib/errors';
import type { Account, AccountList } from '../session/accounts';
import type { Cloud } from '../shared/clouds';
import { HELD_FOR_MS, type HeldSlot, heldZoomLists } from './held-agenda';
import type { TrayAnswer, TrayRequest } from './protocol';

export interface WarmTray {
  /** configDigest of the tray's environment. */
  readonly config: string;
  /** The tray has loaded its settings and warmed its accounts. */
  ready(): boolean;
  /** The account list, as the CLI reads it. */
  readonly accounts: { load(): Promise<AccountList>; find(email: string, cloud?: Cloud): Promise<Account> };
  /** The account slots, brought in step with that list first (the CLI may have changed it). */
  slots(): Promise<readonly (Pick<AccountSlot, 'account' | 'signedIn' | 'servedFromCache' | 'sources' | 'core'> & HeldSlot)[]>;
  /** Every calendar's meetings when each was read lately and without failure (Calendars.current). */
  readonly calendars: { current(maxAgeMs: number): Promise<(readonly Meeting[])[] | undefined> };
  /** The tray's clock (epoch ms). */
  now(): number;
}

function declined(why: 'other-config' | 'not-ready' | 'not-held'): TrayAnswer {
  return { ok: false, why };
}

/**
 * `meetings --json` and `join next` from the lists held, when they are what the CLI would fetch
 * (see held-agenda.ts); the CLI's own functions decide and print.
 */
async function fromAgenda(command: 'meetings-json' | 'join-next', tray: WarmTray): Promise<TrayAnswer> {
  const list = await tray.accounts.load();
  const slots = await tray.slots();
  const zoom = heldZoomLists(list, slots, tray.now());
  const calendars = zoom && (await tray.calendars.current(HELD_FOR_MS));
  if (!zoom || !calendars) return declined('not-held');
  const meetings = agenda([...zoom, ...calendars]);
  const now = new Date(tray.now());
  if (command === 'meetings-json') return { ok: true, stdout: meetingsJson(upcoming(meetings, now)) };
  // None: the CLI says so in its own words.
  const next = nextChoice(meetings, list, now);
  if (!next) return declined('not-held');
  if ('join' in next) return { ok: true, stdout: `${next.join.href}\n`, what: next.what };
  const host = next.host;
  const slot = host && slots.find((s) => s.account?.entry === host.entry);
  const target = { kind: 'id', id: next.start } as const;
  if (!slot?.signedIn || !slot.servedFromCache(target)) return declined('not-held');
  try {
    const launch = await slot.core.start(target, slot.sources());
    return { ok: true, stdout: `${launch.url.href}\n`, what: next.what };
  } catch (err) {
    if (isZoomTrayError(err)) return declined('not-held');
    throw err;
  }
}

export async function answerRequest(request: TrayRequest, tray: WarmTray): Promise<TrayAnswer> {
  if (request.config !== tray.config) return declined('other-config');
  if (!tray.ready()) return declined('not-ready');
  if (request.command === 'accounts-json') return { ok: true, stdout: accountsJson(await tray.accounts.load()) };
  if (request.command !== 'start-print') return fromAgenda(request.command, tray);
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
