import { ZoomTrayError } from '../lib/errors';
import type { CalendarList, StoredCalendar } from './calendar-list';
import { calendarLabel, defaultName, sameName, uniqueName } from './calendar-names';
import { fetchFeed, type FetchFeedOptions } from './fetch-feed';
import { readFeed } from './read-feed';

export interface Added {
  readonly calendar: StoredCalendar;
  /** Its Zoom meetings from an hour ago to a week ahead. */
  readonly count: number;
  /** Events left out: repeat rules no calendar app makes for a meeting, or past the bounds on one read (PreparedFeed.skipped). */
  readonly skipped: number;
}

/**
 * Reads a calendar once, then keeps it (the CLI's `calendar add` and the settings window's): an
 * address that does not work is said at once and leaves nothing behind. Without `wanted`, the name
 * comes from the provider ("Google", "Google 2"); a name already in the list is a usage error.
 */
export async function addCalendar(
  list: Pick<CalendarList, 'load' | 'add'>,
  url: URL,
  wanted: string | undefined,
  options: { readonly now: number; readonly selfEmails: readonly string[]; readonly fetchOptions?: FetchFeedOptions },
): Promise<Added> {
  const nameFrom = (names: readonly string[]): string => {
    if (wanted === undefined) return uniqueName(defaultName(url.hostname), names);
    if (names.some((n) => sameName(n, wanted))) throw new ZoomTrayError('usage', `A calendar named "${wanted}" is already in the list: choose another name, or remove that one first.`);
    return wanted;
  };
  const ref = { name: nameFrom((await list.load()).map((c) => c.name)), host: url.host };
  const answer = await fetchFeed(url, ref, undefined, options.fetchOptions);
  if (!answer.changed) throw new ZoomTrayError('calendar', `${calendarLabel(ref)} sent no calendar.`);
  const feed = await readFeed(answer.text, ref);
  const found = await feed.meetings(new Date(options.now), options.selfEmails);
  const calendar = await list.add(url, nameFrom);
  return { calendar, count: found.length, skipped: feed.skipped };
}
