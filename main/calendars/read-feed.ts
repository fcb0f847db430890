import { ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import { type CalendarRef, calendarLabel } from './calendar-names';
import type { PreparedFeed } from './ics-meetings';

export type { PreparedFeed } from './ics-meetings';

/**
 * Reads a feed's text with node-ical. The parser is required here, on the first calendar read:
 * scripts/build.mjs bundles it as dist/ics.js and leaves this require pointing at that file, so the
 * CLI's commands and the tray load it only when a calendar is read. What it refuses becomes the
 * app's own typed error here (a class from that bundle would be another class).
 */
export async function readFeed(text: string, calendar: CalendarRef, options: { readonly localZone?: string } = {}): Promise<PreparedFeed> {
  const { prepareFeed } = require('./ics-meetings') as typeof import('./ics-meetings');
  const parsed = await prepareFeed(text, { calendar: calendar.name, ...options });
  if (parsed.ok) {
    for (const note of parsed.feed.notes) log.debug(`calendar ${calendar.name}: the parser said: ${note}`);
    return parsed.feed;
  }
  if (parsed.reason === 'not-a-calendar') {
    throw new ZoomTrayError('calendar', `${calendarLabel(calendar)} did not answer with a calendar. Use the calendar's secret iCal address (see \`zoom-tray calendar\` in the README).`);
  }
  if (parsed.reason === 'incomplete') {
    throw new ZoomTrayError('calendar', `${calendarLabel(calendar)} sent an incomplete calendar (it stops before its end, as when a connection is cut). zoom-tray asks again later.`);
  }
  throw new ZoomTrayError('calendar', `${calendarLabel(calendar)} sent a calendar zoom-tray cannot read. Try again later; if this repeats, report it with the log file.`, { cause: parsed.cause });
}
