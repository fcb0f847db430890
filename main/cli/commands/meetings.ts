import { printable } from '../../lib/redact';
import { type Meeting, upcoming } from '../../meetings/meeting';
import { type Account, accountLabel } from '../../session/accounts';
import { command, PICK_ACCOUNT } from '../command';
import { collectAgenda } from '../agenda';
import type { Context } from '../context';

export const meetings = command({
  usage: [{ args: '[--json] [--account EMAIL]', does: "list upcoming meetings (every account's and calendar's, unless one is named)" }],
  options: { json: { type: 'boolean' }, ...PICK_ACCOUNT },
  positionals: 0,
  keychain: true,
  everyAccount: true,
  run: ({ values, named }, ctx) => listMeetings(ctx, named, Boolean(values.json)),
});

/**
 * One account's meetings, or every account's (each line then names the account a meeting is
 * started with, or whose invitation it is), soonest first: one line per meeting, whichever lists
 * it came from. A meeting someone else hosts is marked "join".
 */
async function listMeetings(ctx: Context, named: Account | undefined, json: boolean): Promise<void> {
  const { io } = ctx;
  const { meetings, list, failure } = await collectAgenda(ctx, named);
  const several = !named && list.accounts.length > 1;
  const rows = upcoming(meetings, new Date());
  if (json) {
    io.stdout(meetingsJson(rows));
  } else if (rows.length === 0 && !failure) {
    io.stderr('No upcoming scheduled meetings.\n');
  } else {
    for (const m of rows) {
      const when = m.start.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
      const join = m.action.kind === 'join' ? '  (join)' : '';
      io.stdout(`${when}  ${m.id}  ${printable(m.topic)}${join}${several && m.account ? `  [${accountLabel(m.account)}]` : ''}\n`);
    }
  }
  if (failure) throw failure;
}

/** What `meetings --json` prints for these meetings (already the upcoming ones, in order). Pure: the running tray prints it too. */
export function meetingsJson(rows: readonly Meeting[]): string {
  const out = rows.map((m) => ({
    id: m.id,
    topic: m.topic,
    start_time: m.start.toISOString(),
    duration: m.durationMinutes,
    join_url: m.joinUrl,
    role: m.action.kind === 'start' ? 'host' : 'guest',
    sources: m.sources,
    ...(m.account ? { account: m.account.email, cloud: m.account.cloud } : {}),
  }));
  return `${JSON.stringify(out, null, 2)}\n`;
}
