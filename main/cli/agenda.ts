import { describeError, isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { agenda } from '../meetings/agenda';
import type { Meeting } from '../meetings/meeting';
import { UPCOMING_SCOPE } from '../meetings/zoom-meetings';
import { type Account, accountLabel } from '../session/accounts';
import type { Context } from './context';

/**
 * Every meeting the accounts (each asked of Zoom at once) know of, one entry each, not yet sorted.
 * A source that fails does not hide the others: with one account its error is the command's; with
 * several it is said on stderr at once, and `failure` (to throw once the rest is shown) sets the exit
 * code. An account whose Zoom app lacks the scope for invitations still lists its own meetings, and
 * says which scope to add.
 */
export async function collectAgenda(ctx: Context, accounts: readonly (Account | undefined)[]): Promise<{ meetings: Meeting[]; failure?: unknown }> {
  const { io } = ctx;
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
        if (!several) throw err;
        failure ??= err;
        io.stderr(`zoom-tray: ${whose}${describeError(err)}\n`);
        return [];
      }
    }),
  );
  const meetings = agenda(lists);
  if (failure === undefined) return { meetings };
  return { meetings, failure: isZoomTrayError(failure) ? new ZoomTrayError(failure.kind, 'The meetings of some accounts could not be listed (said above).', { cause: failure }) : failure };
}
