// A calendar feed's text → the Zoom meetings in it. node-ical and what it brings (temporal-polyfill,
// rrule-temporal: most of a megabyte) are bundled into dist/ics.js, loaded only when a calendar is
// read (./read-feed.ts), so a CLI run without calendars never pays for them. This module therefore
// throws no ZoomTrayError (its class would be a copy of the app's): it answers what it found.
import ical, { type Attendee, type CalendarResponse, type EventInstance, type ParameterValue, type VEvent } from 'node-ical';
import type { Meeting } from '../meetings/meeting';
import { isCalendarText, isCompleteCalendar, refreshPeriodMs } from './feed-text';
import { takeParserNotes } from './parser-console';
import { type EventText, findZoomLink, type ZoomLink } from './zoom-link';

export interface FeedOptions {
  /** The calendar's name: its meetings' `sources` say `calendar:<name>`. */
  readonly calendar: string;
  /** The zone floating times are in (RFC 5545 §3.3.5: the observer's); this machine's by default. */
  readonly localZone?: string;
  /** Milliseconds, to measure how long expanding takes (MAX_EXPANSION_MS): performance.now by default, a stand-in in tests. */
  readonly timer?: () => number;
}

export interface PreparedFeed {
  /** How often the feed asks to be fetched (REFRESH-INTERVAL or X-PUBLISHED-TTL), clamped. */
  readonly refreshMs: number;
  /**
   * Events left out: repeating rules no calendar app makes for a meeting and series past
   * MAX_SERIES (when the feed was read), and those past the bounds on time, walks and meetings of
   * the last `meetings()` (see MAX_EXPANSION_MS).
   */
  readonly skipped: number;
  /** What the parser said while reading (invalid rules it ignored…), for the debug log. */
  readonly notes: readonly string[];
  /**
   * The Zoom meetings under way or starting from `now` − 1 hour to `now` + 7 days, soonest first,
   * without those an attendee with one of `selfEmails` (the user) declined.
   */
  meetings(now: Date, selfEmails: readonly string[]): Promise<Meeting[]>;
}

export type FeedParse =
  | { readonly ok: true; readonly feed: PreparedFeed }
  /**
   * `not-a-calendar`: no BEGIN:VCALENDAR (a sign-in page…); `incomplete`: no END:VCALENDAR at its
   * end (cut short on the way); `unreadable`: the parser gave up (`cause`).
   */
  | { readonly ok: false; readonly reason: 'not-a-calendar' | 'incomplete' | 'unreadable'; readonly cause?: unknown };

export const WINDOW_BEFORE_MS = 60 * 60_000;
export const WINDOW_AFTER_MS = 7 * 24 * 60 * 60_000;
const DEFAULT_DURATION_MINUTES = 60;
/**
 * An event longer than a day is no meeting (a conference, office hours all quarter, a hostile
 * invitation): under way for days or months, it would be the "next" meeting all that time, ahead
 * of the real ones. Such events, and such occurrences of a series, are left out.
 */
const MAX_MEETING_MS = 24 * 60 * 60_000;
/** A title is a line in a menu; a feed may hold a megabyte in one. */
const MAX_TOPIC = 200;
/**
 * Expansion is synchronous and the feed untrusted, so the work of one read is bounded. When the
 * feed is read: rules no calendar app makes for a meeting are left out (unsafeRule), and at most
 * MAX_SERIES series are kept. Each read of the window (`meetings()`): a monthly or yearly COUNT,
 * walked from its first occurrence, may walk at most 4 periods an occurrence and about MAX_WALK
 * candidate days (expansion()); expanding stops once it has taken MAX_EXPANSION_MS or given
 * MAX_OCCURRENCES meetings. What is left out is counted in `skipped`. A feed of calendar apps'
 * series takes a few milliseconds; MAX_EXPANSION_MS only ever stops a hostile one.
 */
const MAX_COUNT = 5000;
const MAX_SERIES = 500;
const MAX_EXPANSION_MS = 250;
const MAX_OCCURRENCES = 5000;
/** About 60 ms of node-ical's slowest walks (a yearly rule on every day of its months, by set position). */
const MAX_WALK = 20_000;
/** No BY… list a calendar app writes is longer than a month's days (iCloud's "each" day of a month). */
const MAX_LIST = 31;
/** node-ical's own cap on the periods a rule walks, kept for daily and weekly rules (cheap to walk). */
const MAX_ITERATIONS = 10_000;
const DAY_MS = 24 * 60 * 60_000;
/** A period's length in days (shortest, longest), and what walking one costs node-ical beyond its candidate days, in candidate days. */
const PERIODS: Readonly<Record<string, { readonly days: readonly [number, number]; readonly overhead: number }>> = {
  DAILY: { days: [1, 1], overhead: 0 },
  WEEKLY: { days: [7, 7], overhead: 0 },
  MONTHLY: { days: [28, 31], overhead: 40 },
  YEARLY: { days: [365, 366], overhead: 50 },
};
/** Expanding yields to the event loop this often, so the tray stays responsive on a big feed. */
const YIELD_EVERY = 50;

/** node-ical gives a property with parameters as { val, params }. */
function value(property: ParameterValue | undefined | unknown): string | undefined {
  if (typeof property === 'string') return property;
  const val = (property as { val?: unknown } | undefined)?.val;
  return typeof val === 'string' ? val : undefined;
}

function textOf(event: Record<string, unknown>): EventText {
  return {
    conference: value(event['GOOGLE-CONFERENCE']),
    url: value(event.url),
    location: value(event.location),
    description: value(event.description),
    htmlDescription: value(event['ALT-DESC']),
  };
}

/** A repeat rule as node-ical's rrule-temporal gives it (the parts read here). */
interface RuleOptions {
  readonly freq?: unknown;
  readonly interval?: unknown;
  readonly count?: unknown;
  readonly dtstart?: unknown;
  readonly rscale?: unknown;
  readonly byHour?: unknown;
  readonly byMinute?: unknown;
  readonly bySecond?: unknown;
  readonly byDay?: unknown;
  readonly byMonth?: unknown;
  readonly byMonthDay?: unknown;
  readonly byYearDay?: unknown;
  readonly byWeekNo?: unknown;
  readonly bySetPos?: unknown;
}

function ruleOf(event: VEvent): RuleOptions | undefined {
  return event.rrule?.options as RuleOptions | undefined;
}

const entries = (list: unknown): number => (Array.isArray(list) ? list.length : 0);

/**
 * A rule a meeting never has, whose expansion could take seconds or minutes in one synchronous
 * call: more often than daily (Google, Outlook, iCloud and Fastmail offer daily and up), several
 * times a day through BYHOUR/BYMINUTE/BYSECOND, a COUNT beyond any series a calendar app makes, a
 * BY… list longer than a month's days, BYYEARDAY or BYWEEKNO (up to a year of candidate days each
 * period), days of the month, months or set positions on a daily or weekly rule (filters that
 * leave most periods empty, walked one by one), or another calendar scale (RSCALE). Calendar apps
 * write none of these: daily (on weekdays), weekly on days, monthly on a day or an nth weekday,
 * yearly on a date or an nth weekday of a month.
 */
function unsafeRule(options: RuleOptions): boolean {
  const freq = String(options.freq ?? '').toUpperCase();
  const lists = [options.byDay, options.byMonth, options.byMonthDay, options.byYearDay, options.byWeekNo, options.bySetPos];
  return (
    !(freq in PERIODS) ||
    entries(options.byHour) > 1 ||
    entries(options.byMinute) > 1 ||
    entries(options.bySecond) > 1 ||
    (typeof options.count === 'number' && options.count > MAX_COUNT) ||
    lists.some((list) => entries(list) > MAX_LIST) ||
    entries(options.byYearDay) + entries(options.byWeekNo) > 0 ||
    ((freq === 'DAILY' || freq === 'WEEKLY') && entries(options.byMonth) + entries(options.byMonthDay) + entries(options.bySetPos) > 0) ||
    (options.rscale !== undefined && options.rscale !== null)
  );
}

/**
 * At most how many candidate days one monthly or yearly period offers (one time of day each:
 * BYHOUR… are single): a weekday is up to 5 days of a month ("2TU" one), and a yearly rule on
 * weekdays or days of the month offers them in each month it names (all 12 when it names none).
 */
function daysPerPeriod(options: RuleOptions, yearly: boolean): number {
  const byDay = Array.isArray(options.byDay) ? (options.byDay as unknown[]) : [];
  const weekdays = byDay.reduce<number>((sum, day) => sum + (/^[+-]?\d/.test(String(day)) ? 1 : 5), 0);
  const inMonth = Math.min(31, entries(options.byMonthDay) + weekdays) || 1;
  if (!yearly) return inMonth;
  return Math.min(366, (entries(options.byMonth) || (byDay.length + entries(options.byMonthDay) > 0 ? 12 : 1)) * inMonth);
}

/**
 * How an event is expanded for the window `from`…`to`: with at most how many periods walked, or
 * not at all, as it can show nothing there (`nothing`) or would cost too much (`costly`). A single
 * event or a rule without COUNT costs little: node-ical starts at the window. A COUNT is walked from
 * the first occurrence, which daily and weekly rules do quickly; a monthly or yearly one may walk
 * 4 periods an occurrence (a sparser rule shows nothing; the sparsest a calendar app makes, the
 * 29th of February, needs 4), and about MAX_WALK candidate days to reach the window.
 */
function expansion(event: VEvent, from: Date, to: Date): { readonly maxIterations?: number } | 'nothing' | 'costly' {
  const options = ruleOf(event);
  const freq = String(options?.freq ?? '').toUpperCase();
  const period = PERIODS[freq];
  if (!options || typeof options.count !== 'number' || !period || freq === 'DAILY' || freq === 'WEEKLY') return {};
  const interval = typeof options.interval === 'number' && options.interval > 1 ? options.interval : 1;
  const allowed = Math.min(MAX_ITERATIONS, 4 * options.count + 4);
  const start = options.dtstart instanceof Date ? options.dtstart.getTime() : Number.NaN;
  if (Number.isNaN(start) || start + allowed * interval * period.days[1] * DAY_MS < from.getTime() - MAX_MEETING_MS) return 'nothing';
  const periods = Math.min(allowed, Math.max(1, Math.ceil((to.getTime() - start) / (interval * period.days[0] * DAY_MS)) + 1));
  return periods * (daysPerPeriod(options, freq === 'YEARLY') + period.overhead) > MAX_WALK ? 'costly' : { maxIterations: allowed };
}

function tooLong(start: unknown, end: unknown): boolean {
  return start instanceof Date && end instanceof Date && end.getTime() - start.getTime() > MAX_MEETING_MS;
}

function cancelled(event: { status?: unknown }): boolean {
  return String(event.status ?? '').toUpperCase() === 'CANCELLED';
}

/** Whether an attendee who is the user said no (`PARTSTAT=DECLINED`). */
function declined(event: { attendee?: Attendee | Attendee[] | undefined }, self: ReadonlySet<string>): boolean {
  if (self.size === 0 || event.attendee === undefined) return false;
  const attendees = Array.isArray(event.attendee) ? event.attendee : [event.attendee];
  return attendees.some((attendee) => {
    if (typeof attendee === 'string') return false;
    const params = attendee.params ?? {};
    if (String(params.PARTSTAT ?? '').toUpperCase() !== 'DECLINED') return false;
    const addresses = [attendee.val.replace(/^mailto:/i, ''), typeof params.EMAIL === 'string' ? params.EMAIL : ''];
    return addresses.some((address) => self.has(address.trim().toLowerCase()));
  });
}

/**
 * Floating times (no TZID, no Z) are wall-clock times wherever the user is (RFC 5545 §3.3.5). node-ical
 * would read them in the feed's first VTIMEZONE instead (its fix for one broken exporter), so each
 * one inside an event is given this machine's zone before parsing. Lines are unfolded first, as the
 * parser does anyway; VTIMEZONE rules (floating by definition) are left as they are.
 */
export function pinFloatingTimes(text: string, zone: string): string {
  if (!/^(?:DTSTART|DTEND|RECURRENCE-ID|EXDATE|RDATE)[;:]/im.test(text)) return text;
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const open: string[] = [];
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const component = /^(BEGIN|END):(\S+)/i.exec(line);
    if (component) {
      if (component[1]?.toUpperCase() === 'BEGIN') open.push(component[2]?.toUpperCase() ?? '');
      else open.pop();
      continue;
    }
    if (open.at(-1) !== 'VEVENT') continue;
    const date = /^(DTSTART|DTEND|RECURRENCE-ID|EXDATE|RDATE)((?:;[^:;]*)*):(\d{8}T\d{6}(?:,\d{8}T\d{6})*)\s*$/i.exec(line);
    if (!date || /;TZID=/i.test(date[2] ?? '') || /;VALUE=(?:DATE|PERIOD)(?:;|$)/i.test(date[2] ?? '')) continue;
    lines[i] = `${date[1]}${date[2]};TZID=${zone}:${date[3]}`;
    changed = true;
  }
  return changed ? lines.join('\r\n') : text;
}

/** A series worth expanding: its link, and its overrides' own links (a moved occurrence may carry another). */
interface Candidate {
  readonly event: VEvent;
  readonly link: ZoomLink | undefined;
}

/** The link of one occurrence: its own text's (an override's), else its series'. */
function linkOf(instance: EventInstance, candidate: Candidate): ZoomLink | undefined {
  return instance.event === candidate.event ? candidate.link : (findZoomLink(textOf(instance.event)) ?? candidate.link);
}

function hasOverrideLink(event: VEvent): boolean {
  return Object.values(event.recurrences ?? {}).some((override) => findZoomLink(textOf(override)) !== undefined);
}

function toMeeting(instance: EventInstance, link: ZoomLink, calendar: string): Meeting {
  const start = new Date(instance.start.getTime());
  const minutes = Math.round((instance.end.getTime() - start.getTime()) / 60_000);
  const topic = (value(instance.summary) ?? '').trim().slice(0, MAX_TOPIC);
  return {
    id: link.id,
    topic: topic || 'Zoom meeting',
    start,
    // No DTEND nor DURATION leaves an event zero minutes long: a meeting has some length.
    durationMinutes: minutes > 0 ? minutes : DEFAULT_DURATION_MINUTES,
    account: undefined,
    sources: [`calendar:${calendar}`],
    action: { kind: 'join', url: link.url },
    joinUrl: link.url,
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads a feed once: parses it (in batches, so a big one does not freeze the tray), keeps the events
 * that can show a Zoom meeting, and answers for any window later without parsing again (a 304, a
 * later look at the same feed).
 */
export async function prepareFeed(text: string, options: FeedOptions): Promise<FeedParse> {
  if (!isCalendarText(text)) return { ok: false, reason: 'not-a-calendar' };
  if (!isCompleteCalendar(text)) return { ok: false, reason: 'incomplete' };
  const zone = options.localZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  let data: CalendarResponse;
  takeParserNotes();
  try {
    data = await ical.async.parseICS(zone ? pinFloatingTimes(text, zone) : text);
  } catch (cause) {
    return { ok: false, reason: 'unreadable', cause };
  }
  // Google names a user's main calendar after its owner's address: who declined there is the user.
  const named = data.vcalendar?.['WR-CALNAME'];
  const owner = named && /^[^\s@]+@[^\s@]+$/.test(named) ? [named] : [];
  const candidates: Candidate[] = [];
  let series = 0;
  let skipped = 0;
  for (const item of Object.values(data)) {
    if (item?.type !== 'VEVENT') continue;
    const event = item as VEvent;
    if (tooLong(event.start, event.end)) continue;
    // All-day, cancelled, declined and too long are decided per occurrence, where an override has its own say.
    const link = findZoomLink(textOf(event));
    if (!link && !(event.rrule && hasOverrideLink(event))) continue;
    const rule = ruleOf(event);
    if (rule && (unsafeRule(rule) || series >= MAX_SERIES)) {
      skipped++;
      continue;
    }
    if (event.rrule) series++;
    candidates.push({ event, link });
  }
  let leftOut = 0;
  return {
    ok: true,
    feed: {
      refreshMs: refreshPeriodMs(text),
      get skipped() {
        return skipped + leftOut;
      },
      notes: takeParserNotes(),
      async meetings(now, selfEmails) {
        const self = new Set([...selfEmails, ...owner].map((e) => e.trim().toLowerCase()).filter(Boolean));
        const from = new Date(now.getTime() - WINDOW_BEFORE_MS);
        const to = new Date(now.getTime() + WINDOW_AFTER_MS);
        const meetings: Meeting[] = [];
        const timer = options.timer ?? (() => performance.now());
        let spent = 0;
        let left = 0;
        const collect = (candidate: Candidate, plan: { readonly maxIterations?: number }): void => {
          let instances: EventInstance[];
          try {
            instances = ical.expandRecurringEvent(candidate.event, { from, to, expandOngoing: true, ...plan });
          } catch {
            return; // past the periods it may walk, or no start at all: no meeting
          }
          for (const instance of instances) {
            // An occurrence's own attendees (an override's) when it lists them, else its series'.
            const attendees = instance.event.attendee === undefined ? candidate.event : instance.event;
            if (instance.isFullDay || tooLong(instance.start, instance.end) || cancelled(instance.event) || declined(attendees, self)) continue;
            const link = linkOf(instance, candidate);
            if (!link) continue;
            if (meetings.length >= MAX_OCCURRENCES) {
              left++;
              return;
            }
            meetings.push(toMeeting(instance, link, options.calendar));
          }
        };
        for (const [index, candidate] of candidates.entries()) {
          if (index % YIELD_EVERY === YIELD_EVERY - 1) await tick();
          const plan = expansion(candidate.event, from, to);
          if (plan === 'nothing') continue;
          if (plan === 'costly' || meetings.length >= MAX_OCCURRENCES || spent > MAX_EXPANSION_MS) {
            left++;
            continue;
          }
          const started = timer();
          try {
            collect(candidate, plan);
          } finally {
            spent += timer() - started;
          }
        }
        leftOut = left;
        return meetings.sort((a, b) => a.start.getTime() - b.start.getTime());
      },
    },
  };
}
