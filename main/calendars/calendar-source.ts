import type { Clock } from '../lib/clock';
import { isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import type { Meeting, MeetingSource } from '../meetings/meeting';
import type { CalendarList, StoredCalendar } from './calendar-list';
import { type FeedValidators, fetchFeed, type FetchFeedOptions } from './fetch-feed';
import { MIN_REFRESH_MS } from './feed-text';
import { type PreparedFeed, readFeed } from './read-feed';

export interface CalendarSourceOptions {
  /** The calendar's secret address (from the keychain: CalendarList.address); asked once, then held. */
  readonly address: () => Promise<URL>;
  /** Time, for the meetings' window and the refresh period: the app's clock, a manual one in tests. */
  readonly clock: Pick<Clock, 'now'>;
  /** The user's e-mail addresses (the signed-in accounts'): meetings one of them declined are not shown. */
  readonly selfEmails?: () => readonly string[];
  /** How the feed is fetched (tests: a stand-in). */
  readonly fetch?: typeof fetchFeed;
  readonly fetchOptions?: FetchFeedOptions;
  /** The zone of floating times; this machine's by default. */
  readonly localZone?: string;
}

/**
 * One calendar feed as a meeting source. It asks the feed again only once its refresh period has
 * passed (the feed's REFRESH-INTERVAL or X-PUBLISHED-TTL, 15 minutes to 6 hours), and then
 * conditionally (ETag, Last-Modified); in between, and on a 304, the feed read last answers for the
 * new time. A calendar that fails keeps its last good meetings (`lastGood`) and says why (`failure`,
 * and `failures` in a row, so its owner can say it once).
 */
export class CalendarSource implements MeetingSource {
  readonly name: string;
  private url: URL | undefined;
  private validators: FeedValidators | undefined;
  private feed: PreparedFeed | undefined;
  private fetchedAt: number | undefined;
  private inFlight: Promise<void> | undefined;
  private good: readonly Meeting[] = [];
  private lastFailure: ZoomTrayError | undefined;
  private failuresInARow = 0;

  constructor(
    readonly calendar: StoredCalendar,
    private readonly options: CalendarSourceOptions,
  ) {
    this.name = `calendar:${calendar.name}`;
  }

  /** How long the feed asked to be left alone between fetches (15 minutes until it has said). */
  get refreshMs(): number {
    return this.feed?.refreshMs ?? MIN_REFRESH_MS;
  }

  /** When `fetch()` next asks the feed (epoch ms, on the clock given); now, before the first time. */
  get nextFetchAt(): number {
    return this.fetchedAt === undefined ? this.options.clock.now() : this.fetchedAt + this.refreshMs;
  }

  /** The meetings of the last good read, for the time of the last `fetch()` call; empty before any. */
  get lastGood(): readonly Meeting[] {
    return this.good;
  }

  /** When the feed was last asked (epoch ms); undefined before the first time. */
  get askedAt(): number | undefined {
    return this.fetchedAt;
  }

  /** Why the last attempt failed; undefined once one succeeds. */
  get failure(): ZoomTrayError | undefined {
    return this.lastFailure;
  }

  /** Attempts failed in a row: 1 is the first failure after a success (or the first attempt). */
  get failures(): number {
    return this.failuresInARow;
  }

  /**
   * The Zoom meetings of the calendar from an hour ago to a week ahead. Fetches the feed when due
   * (see `nextFetchAt`: never sooner, `fresh` or not, so the feed's own period is honoured); fails as the feed did (a `calendar` or `network` ZoomTrayError, or the
   * keychain's), and goes on failing until an attempt succeeds, while `lastGood` keeps up with the time.
   */
  async fetch(): Promise<readonly Meeting[]> {
    // A call while a fetch is under way waits for it rather than answering from before it.
    if (!this.inFlight && this.options.clock.now() >= this.nextFetchAt) this.inFlight = this.download().finally(() => (this.inFlight = undefined));
    if (this.inFlight) await this.inFlight;
    if (this.feed) this.good = await this.feed.meetings(new Date(this.options.clock.now()), this.options.selfEmails?.() ?? []);
    if (this.lastFailure) throw this.lastFailure;
    return this.good;
  }

  private async download(): Promise<void> {
    this.fetchedAt = this.options.clock.now();
    try {
      this.url ??= await this.options.address();
      const answer = await (this.options.fetch ?? fetchFeed)(this.url, this.calendar, this.feed ? this.validators : undefined, this.options.fetchOptions);
      if (answer.changed) {
        this.feed = await readFeed(answer.text, this.calendar, this.options.localZone === undefined ? {} : { localZone: this.options.localZone });
        this.validators = answer.validators;
      }
      this.lastFailure = undefined;
      this.failuresInARow = 0;
    } catch (err) {
      this.lastFailure = isZoomTrayError(err) ? err : new ZoomTrayError('calendar', `Reading ${this.name} failed unexpectedly. Please report it with the log file.`, { cause: err });
      this.failuresInARow++;
      log.warn(`${this.name}: ${this.lastFailure.message}`, err);
    }
  }
}

/** A source for each calendar in the list, each reading its address from the keychain when first asked. */
export async function calendarSources(list: Pick<CalendarList, 'load' | 'address'>, options: Omit<CalendarSourceOptions, 'address'>): Promise<CalendarSource[]> {
  return (await list.load()).map((calendar) => new CalendarSource(calendar, { ...options, address: () => list.address(calendar) }));
}
