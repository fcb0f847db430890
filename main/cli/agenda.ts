import { calendarListFor } from '../calendars/calendar-list';
import { calendarSources } from '../calendars/calendar-source';
import { systemClock } from '../lib/clock';
import { describeError, isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { agenda } from '../meetings/agenda';
import type { Meeting } from '../meetings/meeting';
import { UPCOMING_SCOPE } from '../meetings/zoom-meetings';
import { type Account, type AccountList, accountLabel } from '../session/accounts';
import type { Context } from './context';

/** A stalled feed holds the command no longer than a stalled Zoom would (the tray, in the background, waits longer). */
const FEED_TIMEOUT_MS = 15_000;

/**
 * The line a calendar that failed gets on stderr; none for a keychain that does not answer, which
 * is the command's own error (the accounts need the keychain too), said once.
 */
export function calendarProblem(err: unknown, what = ''): string | undefined {
  return isZoomTrayError(err) && err.kind === 'keychain' ? undefined : `zoom-tray: ${what}${describeError(err)}\n`;
}

/** Every calendar's meetings, read at once; one that fails is said on stderr and shows nothing (exit 0). */
async function calendarMeetings(ctx: Context, selfEmails: readonly string[]): Promise<Meeting[][]> {
  const say = (err: unknown, what?: string): void => {
    const line = calendarProblem(err, what);
    if (line) ctx.io.stderr(line);
  };
  let sources;
  try {
    sources = await calendarSources(calendarListFor(ctx.keychain, ctx.dataDir, ctx.service), {
      clock: systemClock,
      selfEmails: () => selfEmails,
      fetchOptions: { timeoutMs: FEED_TIMEOUT_MS },
    });
  } catch (err) {
    say(err, 'your calendars could not be read: ');
    return [];
  }
  return Promise.all(
    sources.map(async (source) => {
      try {
        return [...(await source.fetch())];
      } catch (err) {
        say(err);
        return [];
      }
    }),
  );
}

/**
 * Every meeting ahead, one entry each, not yet sorted: the Zoom lists of the account named (or of
 * every account: each asked at once) and, unless an account is named, the calendars'. A source that
 * fails does not hide the others: with one account its error is the command's; with several it is
 * said on stderr, and `failure` (to throw once the rest is shown) sets the exit code; a
 * calendar that fails is said and leaves the exit code alone. An account whose Zoom app lacks the
 * scope for invitations still lists its own meetings, and says which scope to add. With no account
 * signed in, the calendars alone answer (when there are any).
 */
export async function collectAgenda(ctx: Context, named?: Account): Promise<{ meetings: Meeting[]; list: AccountList; failure?: unknown }> {
  const { io } = ctx;
  const list = await ctx.accounts.load();
  const calendars = named ? Promise.resolve([]) : calendarMeetings(ctx, list.accounts.map((a) => a.email));
  const accounts: (Account | undefined)[] = named ? [named] : list.accounts.length > 0 ? [...list.accounts] : [undefined];
  const several = accounts.length > 1;
  const whose = (account: Account | undefined): string => (account && several ? `${accountLabel(account)}: ` : '');
  const asked = await Promise.allSettled(
    accounts.map(async (account) => {
      const core = await ctx.core(account);
      const meetings = await core.meetings.fetch({ fresh: true });
      if (core.meetings.lacksScope) io.stderr(`zoom-tray: ${whose(account)}meetings you are invited to are not listed: your Zoom app lacks the scope ${UPCOMING_SCOPE} (add it on the app's Scopes page in the Zoom App Marketplace, then sign in again).\n`);
      return meetings;
    }),
  );
  // Every source has answered before anything is decided: no calendar is still talking when the command ends.
  const calendarLists = await calendars;
  const lists: Meeting[][] = [];
  let failure: unknown;
  asked.forEach((answer, i) => {
    if (answer.status === 'fulfilled') return void lists.push(answer.value);
    const err: unknown = answer.reason;
    if (several) {
      failure ??= err;
      io.stderr(`zoom-tray: ${whose(accounts[i])}${describeError(err)}\n`);
      return;
    }
    // Nobody signed in: the calendars, when there are any, are the answer.
    if (!(accounts[0] === undefined && isZoomTrayError(err) && err.kind === 'signed-out' && calendarLists.length > 0)) throw err;
  });
  const meetings = agenda([...lists, ...calendarLists]);
  if (failure === undefined) return { meetings, list };
  return { meetings, list, failure: isZoomTrayError(failure) ? new ZoomTrayError(failure.kind, 'The meetings of some accounts could not be listed (said above).', { cause: failure }) : failure };
}
