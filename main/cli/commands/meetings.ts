import { describeError, isZoomTrayError, ZoomTrayError } from '../../lib/errors';
import { printable } from '../../lib/redact';
import { type Meeting, upcoming } from '../../meetings/meeting';
import { type Account, accountLabel } from '../../session/accounts';
import { command, PICK_ACCOUNT } from '../command';
import type { Context } from '../context';

export const meetings = command({
  usage: [{ args: '[--json] [--account EMAIL]', does: "list upcoming meetings (every account's, unless one is named)" }],
  options: { json: { type: 'boolean' }, ...PICK_ACCOUNT },
  positionals: 0,
  keychain: true,
  everyAccount: true,
  run: ({ values, named }, ctx) => listMeetings(ctx, named, Boolean(values.json)),
});

interface MeetingRow {
  readonly account: Account | undefined;
  readonly meeting: Meeting;
}

/**
 * One account's meetings, or every account's: each line then names its account. An account that
 * fails does not hide the others' meetings; its error is said, and sets the exit code.
 */
async function listMeetings(ctx: Context, named: Account | undefined, json: boolean): Promise<void> {
  const { io } = ctx;
  const list = await ctx.accounts.load();
  const accounts: (Account | undefined)[] = named ? [named] : list.accounts.length > 0 ? [...list.accounts] : [undefined];
  const several = accounts.length > 1;
  const rows: MeetingRow[] = [];
  let failure: unknown;
  const now = new Date();
  await Promise.all(
    accounts.map(async (account) => {
      try {
        const core = await ctx.core(account);
        for (const meeting of upcoming(await core.meetings.fetch({ fresh: true }), now)) rows.push({ account, meeting });
      } catch (err) {
        if (!several) throw err;
        failure ??= err;
        io.stderr(`zoom-tray: ${account ? accountLabel(account) : ''}: ${describeError(err)}\n`);
      }
    }),
  );
  rows.sort((a, b) => a.meeting.start.getTime() - b.meeting.start.getTime());
  if (json) {
    const out = rows.map(({ account, meeting: m }) => ({
      id: m.id,
      topic: m.topic,
      start_time: m.start.toISOString(),
      duration: m.durationMinutes,
      join_url: m.joinUrl,
      ...(account ? { account: account.email, cloud: account.cloud } : {}),
    }));
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else if (rows.length === 0 && !failure) {
    io.stderr('No upcoming scheduled meetings.\n');
  } else {
    for (const { account, meeting: m } of rows) {
      const when = m.start.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
      io.stdout(`${when}  ${m.id}  ${printable(m.topic)}${several && account ? `  [${accountLabel(account)}]` : ''}\n`);
    }
  }
  if (isZoomTrayError(failure)) throw new ZoomTrayError(failure.kind, 'The meetings of some accounts could not be listed (said above).', { cause: failure });
  if (failure) throw failure;
}
