import { calendarListFor } from '../calendars/calendar-list';
import { calendarSources } from '../calendars/calendar-source';
import { systemClock } from '../lib/clock';
import { describeError, isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { agenda } from '../meetings/agenda';
import type { Meeting } from '../meetings/meeting';
import { UPCOMING_SCOPE } from '../meetings/zoom-meetings';
import { type Account, type AccountList, accountLabel } from '../session/accounts';
import type { Context } from './context';

/** Every calendar's meetings, read at once; one that fails is said on stderr and shows nothing (exit 0). */
async function calendarMeetings(ctx: Context, selfEmails: readonly string[]): Promise<Meeting[][]> {
  let sources;
  try {
    sources = await calendarSources(calendarListFor(ctx.keychain, ctx.dataDir, ctx.service), { clock: systemClock, selfEmails: () => selfEmails });
  } catch (err) {
    ctx.io.stderr(`zoom-tray: your calendars could not be read: ${describeError(err)}\n`);
    return [];
  }
  return Promise.all(
    sources.map(async (source) => {
      try {
        return [...(await source.fetch())];
      } catch (err) {
        ctx.io.stderr(`zoom-tray: ${describeError(err)}\n`);
        return [];
      }
    }),
  );
}

/**
 * Every meeting ahead, one entry each, not yet sorted: the Zoom lists of the account named (or of
 * every account: each asked at once) and, unless an account is named, the calendars'. A source that
 * fails does not hide the others: with one account its error is the command's; with several it is
 * said on stderr at once, and `failure` (to throw once the rest is shown) sets the exit code; a
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
  let failure: unknown;
  const lists = await Promise.all(
    accounts.map(async (account) => {
      const whose = account && several ? `${accountLabel(account)}: ` : '';
      try {
        const core = await ctx.core(account);
        const meetings = await core.meetings.fetch({ fresh: true });
        if (core.meetings.lacksScope) io.stderr(`zoom-tray: ${whose}meetings you are invited to are not listed: your Zoom app lacks the scope ${UPCOMING_SCOPE} (add it on the app's Scopes page in the Zoom App Marketplace, then sign in again).\n`);
        return meetings;
      } catch (err) {
        // Nobody signed in: the calendars, when there are any, are the answer.
        if (!several && !(account === undefined && isZoomTrayError(err) && err.kind === 'signed-out' && (await calendars).length > 0)) throw err;
        if (several) {
          failure ??= err;
          io.stderr(`zoom-tray: ${whose}${describeError(err)}\n`);
        }
        return [];
      }
    }),
  );
  const meetings = agenda([...lists, ...(await calendars)]);
  if (failure === undefined) return { meetings, list };
  return { meetings, list, failure: isZoomTrayError(failure) ? new ZoomTrayError(failure.kind, 'The meetings of some accounts could not be listed (said above).', { cause: failure }) : failure };
}
