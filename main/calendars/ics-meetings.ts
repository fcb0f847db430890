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
}

export interface PreparedFeed {
  /** How often the feed asks to be fetched (REFRESH-INTERVAL or X-PUBLISHED-TTL), clamped. */
  readonly refreshMs: number;
  /** Repeating events left out: rules no calendar app makes for a meeting, or too many to expand. */
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
 * Expansion is synchronous and the feed untrusted. node-ical caps the periods a rule walks (10,000,
 * kept); these cap the rest: a COUNT is walked from the first occurrence, and more repeating
 * meetings than anyone has are not expanded.
 */
const MAX_COUNT = 5000;
const MAX_SERIES = 500;
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

/**
 * A rule a meeting never has, whose expansion could take minutes in one synchronous call: more
 * often than daily (Google, Outlook, iCloud and Fastmail offer daily and up), several times a
 * day through BYHOUR/BYMINUTE/BYSECOND, or a COUNT beyond any series a calendar app makes.
 */
function unsafeRule(event: VEvent): boolean {
  const options = event.rrule?.options as { freq?: unknown; count?: unknown; byHour?: unknown; byMinute?: unknown; bySecond?: unknown } | undefined;
  if (!options) return false;
  const several = (list: unknown): boolean => Array.isArray(list) && list.length > 1;
  const freq = String(options.freq ?? '').toUpperCase();
  return (
    !['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'].includes(freq) ||
    several(options.byHour) ||
    several(options.byMinute) ||
    several(options.bySecond) ||
    (typeof options.count === 'number' && options.count > MAX_COUNT)
  );
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
    if (event.rrule && (unsafeRule(event) || series >= MAX_SERIES)) {
      skipped++;
      continue;
    }
    if (event.rrule) series++;
    candidates.push({ event, link });
  }
  return {
    ok: true,
    feed: {
      refreshMs: refreshPeriodMs(text),
      skipped,
      notes: takeParserNotes(),
      async meetings(now, selfEmails) {
        const self = new Set([...selfEmails, ...owner].map((e) => e.trim().toLowerCase()).filter(Boolean));
        const from = new Date(now.getTime() - WINDOW_BEFORE_MS);
        const to = new Date(now.getTime() + WINDOW_AFTER_MS);
        const meetings: Meeting[] = [];
        for (const [index, candidate] of candidates.entries()) {
          if (index % YIELD_EVERY === YIELD_EVERY - 1) await tick();
          let instances: EventInstance[];
          try {
            instances = ical.expandRecurringEvent(candidate.event, { from, to, expandOngoing: true });
          } catch {
            continue; // past node-ical's iteration cap, or no start at all: no meeting
          }
          for (const instance of instances) {
            // An occurrence's own attendees (an override's) when it lists them, else its series'.
            const attendees = instance.event.attendee === undefined ? candidate.event : instance.event;
            if (instance.isFullDay || tooLong(instance.start, instance.end) || cancelled(instance.event) || declined(attendees, self)) continue;
            const link = linkOf(instance, candidate);
            if (link) meetings.push(toMeeting(instance, link, options.calendar));
          }
        }
        return meetings.sort((a, b) => a.start.getTime() - b.start.getTime());
      },
    },
  };
}
