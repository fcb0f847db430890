import { type CalendarList, calendarListFor } from '../../calendars/calendar-list';
import { addCalendar } from '../../calendars/add-calendar';
import { calendarLabel, nameProblem } from '../../calendars/calendar-names';
import { parseFeedAddress } from '../../calendars/feed-address';
import { systemClock } from '../../lib/clock';
import { printable } from '../../lib/redact';
import { command, usageError } from '../command';
import type { Context } from '../context';

type Checked =
  /** `address`: undefined when it is read from standard input (`-`). */
  | { readonly action: 'add'; readonly address: URL | undefined; readonly name: string | undefined }
  | { readonly action: 'list'; readonly json: boolean }
  | { readonly action: 'remove'; readonly name: string };

const WHAT = '`zoom-tray calendar` takes add <url> [--name NAME], list [--json] or remove NAME.';

/** The address the user gave, or a usage error that says why not without repeating it (it is a secret). */
function address(text: string): URL {
  const parsed = parseFeedAddress(text);
  if (!parsed.ok) throw usageError(`That is not a calendar address: ${parsed.why}.`);
  return parsed.url;
}

function checkName(name: string): string {
  const problem = nameProblem(name);
  if (problem) throw usageError(`That name cannot be used: ${problem}.`);
  return name;
}

/**
 * The user's calendars (iCal feeds) whose Zoom meetings zoom-tray shows. `add` reads the feed once
 * before keeping anything, so an address that does not work is said at once and nothing is kept.
 * The address is a secret: it goes to the keychain, and nothing here ever prints it.
 */
export const calendar = command({
  usage: [
    { args: 'add <url> [--name NAME]', does: "add a calendar by its secret iCal address ('-': read it from stdin)" },
    { args: 'list [--json]', does: 'list the calendars: names and hosts, never the addresses' },
    { args: 'remove NAME', does: 'forget a calendar and its address' },
  ],
  options: { name: { type: 'string' }, json: { type: 'boolean' } },
  positionals: 2,
  keychain: true,
  check({ positionals: [action, argument], values }): Checked {
    if (action === 'add') {
      if (values.json) throw usageError('--json goes with `zoom-tray calendar list`.');
      if (argument === undefined) throw usageError("Give the calendar's secret iCal address (or '-' to paste it on standard input).");
      return { action, address: argument === '-' ? undefined : address(argument), name: values.name === undefined ? undefined : checkName(values.name) };
    }
    if (values.name !== undefined) throw usageError('--name goes with `zoom-tray calendar add`.');
    if (action === 'list') {
      if (argument !== undefined) throw usageError(WHAT);
      return { action, json: Boolean(values.json) };
    }
    if (values.json) throw usageError('--json goes with `zoom-tray calendar list`.');
    if (action === 'remove') {
      if (argument === undefined) throw usageError('Name the calendar to remove (`zoom-tray calendar list` lists them).');
      return { action, name: argument };
    }
    // Not repeated: it may be an address pasted without "add".
    throw usageError(WHAT);
  },
  async run({ checked }, ctx) {
    const list = calendarListFor(ctx.keychain, ctx.dataDir, ctx.service);
    if (checked.action === 'add') await add(ctx, list, checked.address, checked.name);
    else if (checked.action === 'list') await show(ctx, list, checked.json);
    else {
      const removed = await list.remove(checked.name);
      ctx.io.stderr(`Removed ${calendarLabel(removed)} and its address.\n`);
    }
  },
});

async function add(ctx: Context, list: CalendarList, given: URL | undefined, wanted: string | undefined): Promise<void> {
  const { io } = ctx;
  let url = given;
  if (!url) {
    if (!io.stdin) throw usageError("'-' reads the address from standard input, which this zoom-tray cannot read.");
    url = address(await io.stdin());
  }
  const { calendar, count, skipped } = await addCalendar(list, url, wanted, { now: systemClock.now(), selfEmails: (await ctx.accounts.load()).accounts.map((a) => a.email) });
  io.stderr(`Added ${calendarLabel(calendar)}: ${count} Zoom meeting${count === 1 ? '' : 's'} from an hour ago to 7 days ahead.\n`);
  if (skipped > 0) io.stderr(`${skipped} event${skipped === 1 ? ' was' : 's were'} left out: repeat rules no calendar app makes for a meeting, or more than zoom-tray reads from one calendar.\n`);
}

async function show(ctx: Context, list: CalendarList, json: boolean): Promise<void> {
  const { calendars, problem } = await list.status();
  // Said, not failed: the list is still what zoom-tray reads (none), and an add still works.
  if (problem) ctx.io.stderr(`zoom-tray: warning: ${printable(problem)}: no calendar is read from it. The next \`zoom-tray calendar add\` keeps it aside (as a .bad-… file beside it) and starts a new list.\n`);
  if (json) {
    ctx.io.stdout(`${JSON.stringify(calendars.map(({ name, host }) => ({ name, host })), null, 2)}\n`);
  } else if (calendars.length === 0) {
    if (!problem) ctx.io.stderr('No calendar is added. `zoom-tray calendar add <address>` adds one.\n');
  } else {
    for (const c of calendars) ctx.io.stdout(`${printable(c.name)}  ${printable(c.host)}\n`);
  }
}
