// Whether the tray's meeting lists are what the CLI would fetch: every account's, asked of Zoom
// lately and without failure. Anything less and the CLI asks Zoom itself.
import type { Meeting } from '../meetings/meeting';
import type { Account, AccountList } from '../session/accounts';

/**
 * How old a list the tray answers `meetings` and `join next` from may be: the polls' period (15
 * minutes) and a minute for the poll under way. The menu and the reminders show lists that old;
 * anything older means a poll failed or was missed (a sleep), and the CLI asks Zoom itself.
 */
export const HELD_FOR_MS = 16 * 60_000;

export interface HeldSlot {
  readonly account: Account | undefined;
  readonly signedIn: boolean;
  readonly meetings: readonly Meeting[] | undefined;
  /** When the meetings held were asked of Zoom; undefined once an ask failed. */
  readonly listedAt: number | undefined;
  readonly core: { readonly meetings: { readonly lacksScope: boolean } };
}

/**
 * Every account's meetings, in the list's order (as the CLI asks them), when each is held, current
 * and complete; undefined otherwise. No account: the CLI's own words (signed out). An app lacking
 * the invitations' scope: the CLI says so on stderr, which the tray does not. Pure.
 */
export function heldZoomLists(list: AccountList, slots: readonly HeldSlot[], now: number): (readonly Meeting[])[] | undefined {
  if (list.accounts.length === 0) return undefined;
  const lists: (readonly Meeting[])[] = [];
  for (const account of list.accounts) {
    const slot = slots.find((s) => s.account?.entry === account.entry);
    if (!slot?.signedIn || !slot.meetings || slot.listedAt === undefined || now - slot.listedAt >= HELD_FOR_MS || slot.core.meetings.lacksScope) return undefined;
    lists.push(slot.meetings);
  }
  return lists;
}
