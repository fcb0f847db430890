/**
 * A month of use, as data: when the laptop sleeps and wakes, when the network is down, when Zoom
 * answers 5xx or 429, when the keychain helper dies, when the CLI edits the account list, which
 * meetings exist and which are added, cancelled or started early. The runner (run-month.ts) plays
 * it against the real bundle; the checks (month-checks.ts) read what was recorded.
 *
 * Dates: Monday 15 March to Wednesday 14 April 2027, the app in Europe/Berlin. The calendar fixture
 * (test/fixtures/calendars/outlook.ics, pinned around 2026-12-07) has two series without an end, a
 * weekday Standup at 09:30 and a Mon/Wed/Fri Weekly planning at 10:00, in W. Europe Standard Time;
 * the first European clock change after the fixtures' week is Sunday 28 March 2027 (02:00 CET →
 * 03:00 CEST), and the time warp only moves forward from the real date (December 2026), so this is
 * the first month that both has those series and crosses a change. Day 13 is the 23-hour Sunday.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Europe's change to summer time in 2027: Sunday 28 March, 01:00 UTC (EU Directive 2000/84/EC: the last Sunday of March, 01:00 GMT). */
export const DST_2027 = Date.parse('2027-03-28T01:00:00Z');
/** Day 0 of the month: Monday 15 March 2027 (local midnight, UTC+1). */
const DAY0_UTC_MIDNIGHT = Date.parse('2027-03-15T00:00:00Z');

/**
 * Berlin wall time on day `day` (0: Monday 15 March) as epoch ms: UTC+1 before the change, UTC+2
 * after. Written out here rather than asked of the app or the ICU data it uses, so it is an oracle.
 */
export function berlin(day: number, hhmm: string): number {
  const [h = 0, m = 0, s = 0] = hhmm.split(':').map(Number);
  const wall = DAY0_UTC_MIDNIGHT + day * DAY + h * HOUR + m * MIN + s * 1000;
  const winter = wall - HOUR;
  return winter < DST_2027 ? winter : wall - 2 * HOUR;
}

export const JANE = 'jane.doe@example.com';
export const SAM = 'sam.roe@example.com';
export const DAYS = 30;
export const START = berlin(0, '07:30');
export const END = berlin(DAYS, '07:30');

const weekday = (day: number): number => (day + 1) % 7; // 0 = Sunday
const isWeekend = (day: number): boolean => weekday(day) === 0 || weekday(day) === 6;

/** A meeting on Zoom's side (hosted by `host`, or someone else's with `invited`), and the moments it comes and goes. */
export interface PlannedMeeting {
  readonly id: number;
  readonly topic: string;
  readonly start: number;
  readonly minutes: number;
  readonly host: typeof JANE | typeof SAM | 'someone else';
  /** Put on Zoom at this time (absent: there from the start). */
  readonly addedAt?: number;
  readonly cancelledAt?: number;
  /** Started from the tray's menu at this time, before its reminder. */
  readonly clickedAt?: number;
}

/** A calendar occurrence, by the fixture's rules (written out here, not read back from the app). */
export interface CalendarOccurrence {
  readonly topic: string;
  readonly start: number;
}

export type SoakEvent =
  | { readonly at: number; readonly kind: 'sleep'; readonly until: number }
  | { readonly at: number; readonly kind: 'outage'; readonly until: number }
  | { readonly at: number; readonly kind: 'network-back' }
  | { readonly at: number; readonly kind: 'api-5xx'; readonly count: number }
  | { readonly at: number; readonly kind: 'token-503'; readonly count: number }
  | { readonly at: number; readonly kind: 'rate-limit'; readonly count: number; readonly retryAfter?: number }
  | { readonly at: number; readonly kind: 'kill-keychain'; readonly when: 'now' | 'next-write' }
  /** The documented inherent loss: Zoom rotates the refresh token and its answer is lost on the way. */
  | { readonly at: number; readonly kind: 'lose-refresh-answer' }
  | { readonly at: number; readonly kind: 'cli-login'; readonly email: string }
  | { readonly at: number; readonly kind: 'cli'; readonly args: readonly string[] }
  | { readonly at: number; readonly kind: 'open-menu' }
  | { readonly at: number; readonly kind: 'add-meeting'; readonly meeting: PlannedMeeting }
  | { readonly at: number; readonly kind: 'cancel-meeting'; readonly meeting: PlannedMeeting }
  | { readonly at: number; readonly kind: 'click'; readonly meeting: PlannedMeeting }
  /** Memory, timers and handles, at the same quiet moment each day (just before sleeping). */
  | { readonly at: number; readonly kind: 'sample' };

export interface Scenario {
  readonly start: number;
  readonly end: number;
  readonly meetings: readonly PlannedMeeting[];
  readonly calendar: readonly CalendarOccurrence[];
  readonly events: readonly SoakEvent[];
  /** When the machine is awake: [from, to) pairs. */
  readonly awake: readonly (readonly [number, number])[];
  /** When Zoom cannot be reached or misbehaves on purpose, [from, to). */
  readonly troubled: readonly (readonly [number, number])[];
  /** When Sam is signed in to the tray (from the menu open after the CLI login to the one after the logout). */
  readonly samSignedIn: readonly [number, number];
  /** Inherent losses the scenario injects. */
  readonly injectedLosses: number;
}

/** A small deterministic generator (mulberry32), so the "random" moments are the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function monthScenario(): Scenario {
  const events: SoakEvent[] = [];
  const awake: [number, number][] = [];
  const meetings: PlannedMeeting[] = [];
  let id = 86_100_000_000;
  const meeting = (m: Omit<PlannedMeeting, 'id'>): PlannedMeeting => {
    const made = { id: id++, ...m };
    meetings.push(made);
    return made;
  };

  // Nights (and evenings: a work laptop is closed after work): weekdays 19:30 to 07:30, weekends
  // open 09:30 to 17:00; a few naps over lunch; one wake inside a reminder's minute.
  const naps = new Set([2, 9, 16, 23]);
  let wokeAt = START;
  for (let day = 0; day < DAYS; day++) {
    const tomorrow = day + 1;
    if (naps.has(day)) {
      events.push({ at: berlin(day, '12:20'), kind: 'sleep', until: berlin(day, '13:40') });
      awake.push([wokeAt, berlin(day, '12:20')]);
      wokeAt = berlin(day, '13:40');
      meeting({ topic: `Lunch talk ${day}`, start: berlin(day, '13:00'), minutes: 30, host: JANE });
    }
    const bed = isWeekend(day) ? berlin(day, '17:00') : berlin(day, '19:30');
    const rise = tomorrow === DAYS ? END : tomorrow === 3 ? berlin(3, '09:29:30') : isWeekend(tomorrow) ? berlin(tomorrow, '09:30') : berlin(tomorrow, '07:30');
    events.push({ at: bed - 5 * MIN, kind: 'sample' });
    events.push({ at: bed, kind: 'sleep', until: rise });
    awake.push([wokeAt, bed]);
    wokeAt = rise;
    if (!isWeekend(day)) {
      for (const hhmm of ['08:10', '12:05', '17:30']) events.push({ at: berlin(day, hhmm), kind: 'open-menu' });
      meeting({ topic: `Roadmap ${day}`, start: berlin(day, '14:00'), minutes: 45, host: JANE });
      if (weekday(day) === 2 || weekday(day) === 4) meeting({ topic: `Vendor sync ${day}`, start: berlin(day, '16:00'), minutes: 30, host: 'someone else' });
    }
  }
  // The 23-hour Sunday has a meeting in its evening (summer time by then).
  meeting({ topic: 'Family call 13', start: berlin(13, '16:00'), minutes: 30, host: JANE });

  // Meetings added a few hours ahead, cancelled, and one started from the menu before its reminder.
  const added = [
    meeting({ topic: 'Escalation call', start: berlin(4, '17:00'), minutes: 30, host: JANE, addedAt: berlin(4, '10:00') }),
    meeting({ topic: 'Board prep', start: berlin(19, '11:00'), minutes: 60, host: JANE, addedAt: berlin(18, '09:00') }),
    meeting({ topic: 'Partner intro', start: berlin(26, '15:30'), minutes: 30, host: 'someone else', addedAt: berlin(26, '09:15') }),
  ];
  for (const m of added) events.push({ at: m.addedAt ?? 0, kind: 'add-meeting', meeting: m });
  for (const [topic, at] of [['Roadmap 6', berlin(6, '09:00')], ['Vendor sync 22', berlin(20, '10:00')], ['Roadmap 24', berlin(24, '08:30')]] as const) {
    const index = meetings.findIndex((m) => m.topic === topic);
    const cancelled = { ...meetings[index], cancelledAt: at } as PlannedMeeting;
    meetings[index] = cancelled;
    events.push({ at, kind: 'cancel-meeting', meeting: cancelled });
  }
  for (const [topic, at] of [['Roadmap 8', berlin(8, '13:50')], ['Roadmap 17', berlin(17, '13:40')]] as const) {
    const index = meetings.findIndex((m) => m.topic === topic);
    const clicked = { ...meetings[index], clickedAt: at } as PlannedMeeting;
    meetings[index] = clicked;
    events.push({ at, kind: 'click', meeting: clicked });
  }

  // A second account, added, made the default and back, and signed out by the CLI; the tray sees each at its next menu open.
  const samSignedIn: [number, number] = [berlin(4, '08:02'), berlin(15, '08:02')];
  events.push({ at: berlin(4, '08:00'), kind: 'cli-login', email: SAM }, { at: berlin(4, '08:02'), kind: 'open-menu' });
  events.push({ at: berlin(7, '08:30'), kind: 'cli', args: ['accounts', 'use', SAM] }, { at: berlin(7, '08:32'), kind: 'open-menu' });
  events.push({ at: berlin(8, '08:30'), kind: 'cli', args: ['accounts', 'use', JANE] }, { at: berlin(8, '08:32'), kind: 'open-menu' });
  events.push({ at: berlin(15, '08:00'), kind: 'cli', args: ['logout', '--account', SAM] }, { at: berlin(15, '08:02'), kind: 'open-menu' });
  for (const day of [5, 8, 11, 16]) meeting({ topic: `Design crit ${day}`, start: berlin(day, '15:00'), minutes: 30, host: SAM });

  // A dozen outages, minutes to hours, two of them running through a night.
  const outages: [number, string, number][] = [
    [1, '10:05', 7], [2, '15:00', 180], [3, '06:30', 195], [4, '13:40', 25], [7, '18:00', 240], [9, '11:00', 2],
    [11, '16:00', 90], [14, '08:00', 30], [17, '09:00', 45], [21, '14:30', 120], [24, '10:10', 15], [28, '17:00', 300],
  ];
  const troubled: [number, number][] = [];
  for (const [day, hhmm, minutes] of outages) {
    const at = berlin(day, hhmm);
    events.push({ at, kind: 'outage', until: at + minutes * MIN }, { at: at + minutes * MIN, kind: 'network-back' });
    troubled.push([at, at + minutes * MIN]);
  }
  // Zoom's bad moments: 5xx bursts, 503s from the token endpoint, 429 bursts with and without Retry-After.
  const faults: SoakEvent[] = [
    { at: berlin(2, '09:10'), kind: 'api-5xx', count: 3 },
    { at: berlin(8, '10:10'), kind: 'api-5xx', count: 5 },
    { at: berlin(15, '16:20'), kind: 'api-5xx', count: 3 },
    { at: berlin(22, '11:40'), kind: 'api-5xx', count: 4 },
    { at: berlin(10, '13:50'), kind: 'token-503', count: 2 },
    { at: berlin(20, '10:50'), kind: 'token-503', count: 1 },
    { at: berlin(5, '11:00'), kind: 'rate-limit', count: 4, retryAfter: 2 },
    { at: berlin(12, '15:00'), kind: 'rate-limit', count: 6 },
    { at: berlin(19, '10:00'), kind: 'rate-limit', count: 3, retryAfter: 30 },
    { at: berlin(25, '09:50'), kind: 'rate-limit', count: 10, retryAfter: 1 },
  ];
  events.push(...faults);
  for (const f of faults) troubled.push([f.at, f.at + 20 * MIN]);

  // The keychain helper killed at moments drawn while awake, and four times in the middle of a write.
  const draw = random(17);
  for (let i = 0; i < 24; ) {
    const at = START + Math.floor(draw() * (END - START));
    if (awake.some(([from, to]) => at > from + MIN && at < to - MIN)) {
      events.push({ at, kind: 'kill-keychain', when: 'now' });
      i++;
    }
  }
  for (const day of [3, 10, 18, 28]) events.push({ at: berlin(day, '10:20'), kind: 'kill-keychain', when: 'next-write' });

  // The inherent loss, once: the user is told, signs in again with the CLI, and the tray picks it up.
  events.push({ at: berlin(25, '15:00'), kind: 'lose-refresh-answer' });
  events.push({ at: berlin(25, '16:30'), kind: 'cli-login', email: JANE }, { at: berlin(25, '16:32'), kind: 'open-menu' });
  troubled.push([berlin(25, '15:00'), berlin(25, '16:33')]);

  const calendar: CalendarOccurrence[] = [];
  for (let day = 0; day < DAYS; day++) {
    if (isWeekend(day)) continue;
    calendar.push({ topic: 'Standup', start: berlin(day, '09:30') });
    if ([1, 3, 5].includes(weekday(day))) calendar.push({ topic: 'Weekly planning', start: berlin(day, '10:00') });
  }

  // Nobody opens the menu of a sleeping laptop.
  const kept = events.filter((e) => e.kind !== 'open-menu' || awake.some(([from, to]) => e.at >= from && e.at < to));
  kept.sort((a, b) => a.at - b.at);
  return { start: START, end: END, meetings, calendar, events: kept, awake, troubled, samSignedIn, injectedLosses: 1 };
}
