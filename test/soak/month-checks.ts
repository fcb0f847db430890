/**
 * What the month must show, as plain functions over what run-month.ts recorded: each returns its
 * figure and the cases that break the rule, so the soak test asserts them and `npm run bench`
 * reports them from the same run.
 */
import type { SimRequest } from '../zoom-sim/server';
import type { MonthRecord } from './run-month';
import { JANE, type Scenario, SAM } from './month-scenario';

const MIN = 60_000;
const HOUR = 60 * MIN;
const MiB = 1024 * 1024;

const inside = (at: number, spans: readonly (readonly [number, number])[]): boolean => spans.some(([from, to]) => at >= from && at < to);

/** An occurrence the tray should remind of: its topic, start, and whose it is. */
interface Due {
  readonly topic: string;
  readonly start: number;
}

/**
 * The reminders the month calls for (1 minute before, the default): every meeting of a signed-in
 * account or the calendar whose reminder minute [start − 1 min, start) the laptop is awake for,
 * unless it was cancelled or started from the tray before then.
 */
export function expectedReminders(s: Scenario): Due[] {
  const awakeIn = (start: number): boolean => s.awake.some(([from, to]) => from < start && to > start - MIN);
  const zoom = s.meetings.filter((m) => {
    const remindAt = m.start - MIN;
    if (m.cancelledAt !== undefined && m.cancelledAt < remindAt) return false;
    if (m.clickedAt !== undefined && m.clickedAt < remindAt) return false;
    if (m.host === SAM && !(remindAt >= s.samSignedIn[0] && remindAt < s.samSignedIn[1])) return false;
    return awakeIn(m.start);
  });
  return [...zoom, ...s.calendar.filter((c) => awakeIn(c.start))].map((m) => ({ topic: m.topic, start: m.start })).sort((a, b) => a.start - b.start);
}

export interface ReminderFigures {
  readonly expected: number;
  readonly fired: number;
  /** Expected and never shown. */
  readonly missed: readonly string[];
  /** Shown twice, or for no meeting that called for one (cancelled, already started, signed out). */
  readonly extra: readonly string[];
  /** Shown outside their minute: after the meeting began, or later than a minute before it. */
  readonly late: readonly string[];
}

/** Every reminder exactly once, in its minute, none for a meeting already begun. */
export function reminders(r: MonthRecord): ReminderFigures {
  const due = expectedReminders(r.scenario);
  const shown = r.notifications.filter((n) => / starts in \d+ min/.test(n.title));
  const matched = new Set<Due>();
  const extra: string[] = [];
  const late: string[] = [];
  const when = (at: number): string => new Date(at).toISOString();
  for (const note of shown) {
    const topic = note.title.replace(/ starts in \d+ min.*$/, '');
    // Its meeting: the one of that topic starting soonest at or after the reminder (within a day).
    const meeting = due.find((d) => d.topic === topic && d.start > note.at - 1000 && d.start - note.at < 24 * HOUR && !matched.has(d));
    if (!meeting) {
      extra.push(`${note.title} at ${when(note.at)}`);
      continue;
    }
    matched.add(meeting);
    if (note.at >= meeting.start || note.at < meeting.start - MIN - 1000) late.push(`${note.title} at ${when(note.at)} for ${when(meeting.start)}`);
  }
  return {
    expected: due.length,
    fired: shown.length,
    missed: due.filter((d) => !matched.has(d)).map((d) => `${d.topic} at ${when(d.start)}`),
    extra,
    late,
  };
}

/** Requests of one account (token refreshes included) in each clock hour the laptop was awake. */
export function requestsPerHour(r: MonthRecord, email: string): Map<number, number> {
  const hours = new Map<number, number>();
  for (const req of r.requests) {
    if (req.user !== email) continue;
    const hour = Math.floor(req.at / HOUR) * HOUR;
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
  }
  return hours;
}

/**
 * The idle budget of one clock hour: the four polls of the upcoming list, one token refresh, one
 * ZAK renewal and one hosted list (each at most once an hour: every 60, 115 and 180 minutes).
 */
export const IDLE_HOUR_BUDGET = 7;

/**
 * An hour's budget: the idle one, one poll more in an hour with a wake (the polls count again from it),
 * the CLI's own requests (login asks for the profile) in an hour it ran, and Zoom's two lists again
 * after a start (as the README says a start does).
 */
function hourBudget(s: Scenario, hour: number): number {
  const within = (at: number): boolean => at >= hour && at < hour + HOUR;
  const woke = s.events.some((e) => e.kind === 'sleep' && within(e.until));
  const cli = s.events.some((e) => (e.kind === 'cli' || e.kind === 'cli-login') && within(e.at));
  const starts = s.events.filter((e) => e.kind === 'click' && within(e.at)).length;
  return IDLE_HOUR_BUDGET + (woke ? 1 : 0) + (cli ? 2 : 0) + 2 * starts;
}

export interface TrafficFigures {
  readonly maxPerHour: number;
  readonly meanPerAwakeHour: number;
  /** Hours over the budget, with what they held. */
  readonly overBudget: readonly string[];
  readonly maxFirstMinuteBack: number;
  readonly storms: readonly string[];
}

export function traffic(r: MonthRecord): TrafficFigures {
  const overBudget: string[] = [];
  let maxPerHour = 0;
  for (const email of [JANE, SAM]) {
    for (const [hour, count] of requestsPerHour(r, email)) {
      maxPerHour = Math.max(maxPerHour, count);
      if (count > hourBudget(r.scenario, hour)) {
        const routes = r.requests.filter((q) => q.user === email && q.at >= hour && q.at < hour + HOUR).map((q) => `${new Date(q.at).toISOString().slice(11, 16)} ${q.route} ${q.status}`);
        overBudget.push(`${email} ${new Date(hour).toISOString()}: ${count} (${routes.join(', ')})`);
      }
    }
  }
  const janeTotal = r.requests.filter((q: SimRequest) => q.user === JANE).length;
  let maxFirstMinuteBack = 0;
  const storms: string[] = [];
  for (const back of r.backs) {
    for (const email of [JANE, SAM]) {
      const count = r.requests.filter((q) => q.user === email && q.at >= back.at && q.at < back.at + MIN).length;
      maxFirstMinuteBack = Math.max(maxFirstMinuteBack, count);
      if (count > 5) storms.push(`${email}: ${count} requests in the first minute after the ${back.why} at ${new Date(back.at).toISOString()}`);
    }
  }
  return { maxPerHour, meanPerAwakeHour: janeTotal / r.awakeHours, overBudget, maxFirstMinuteBack, storms };
}

/**
 * How old the menu's Zoom meetings got while awake: at each minute the laptop was awake and Zoom had
 * answered every request of the last 16 minutes (no outage, 5xx, 429 or dropped answer: the menu
 * can only show what it had meanwhile), the time since the last upcoming list Zoom answered.
 */
export function staleness(r: MonthRecord): { readonly maxMinutes: number; readonly over: readonly string[] } {
  const mine = r.requests.filter((q) => q.user === JANE || q.user === undefined);
  const answered = mine.filter((q) => q.status === 200 && q.route === 'GET /v2/users/me/upcoming_meetings').map((q) => q.at);
  const failed = mine.filter((q) => q.status === 0 || q.status === 429 || q.status >= 500).map((q) => q.at);
  const s = r.scenario;
  let max = 0;
  const over: string[] = [];
  let i = 0;
  for (const [from, to] of s.awake) {
    for (let t = from + MIN; t < to; t += MIN) {
      if (inside(t, s.troubled) || failed.some((at) => at <= t && at > t - 16 * MIN)) continue;
      while (i + 1 < answered.length && (answered[i + 1] ?? Infinity) <= t) i++;
      const last = answered[i] ?? s.start;
      if (last > t) continue;
      const age = (t - last) / MIN;
      max = Math.max(max, age);
      if (age > 15 + 1 / 60) over.push(`${new Date(t).toISOString()}: ${age.toFixed(1)} min`);
    }
  }
  return { maxMinutes: max, over };
}

/**
 * The evening RSS growth is measured from: by then the month's first three outages (one through a
 * night), a 5xx burst and a keychain crash mid-write have run once. Over those days RSS after GC
 * rises 1 to 5 MiB while the heap rises under 1 MiB: warm-up of paths run for the first time, not
 * growth. After it RSS follows the heap (the redactor filling towards its cap, ~3 MiB a month), as
 * long as the host runs with two malloc arenas (run-month.ts); with glibc's default it also rose in
 * steps of ~2 MiB on random days, to 10.6 MiB in one month, with no heap under them.
 */
export const SETTLED_DAY = 3;

export interface LeakFigures {
  /** From the first evening to the last. */
  readonly rssGrowthMiB: number;
  /** From the evening of SETTLED_DAY to the last: what a leak would keep adding. */
  readonly rssGrowthSinceSettledMiB: number;
  readonly heapGrowthMiB: number;
  readonly timersStart: number;
  readonly timersEnd: number;
  readonly handlesStart: number;
  readonly handlesEnd: number;
}

/** Memory after GC, timers and handles, at the same quiet moment of the first and the last day (one account signed in at both). */
export function leaks(r: MonthRecord): LeakFigures {
  const first = r.samples[0];
  const settled = r.samples[SETTLED_DAY];
  const last = r.samples.at(-1);
  if (!first || !settled || !last) throw new Error('too few samples');
  const handles = (h: Readonly<Record<string, number>>): number => Object.values(h).reduce((a, b) => a + b, 0);
  return {
    rssGrowthMiB: (last.rss - first.rss) / MiB,
    rssGrowthSinceSettledMiB: (last.rss - settled.rss) / MiB,
    heapGrowthMiB: (last.heapUsed - first.heapUsed) / MiB,
    timersStart: first.timers,
    timersEnd: last.timers,
    handlesStart: handles(first.handles),
    handlesEnd: handles(last.handles),
  };
}

/** Sign-ins lost: refreshes Zoom refused, and "sign in again" said, beyond the inherent losses the month injected. */
export function signIns(r: MonthRecord): { readonly lost: number; readonly inherent: number; readonly endsSignedIn: boolean } {
  const told = r.notifications.filter((n) => n.title.startsWith('Sign in to Zoom again')).length;
  const lost = Math.max(told, r.rejectedRefreshes);
  const inherent = Math.min(lost, r.scenario.injectedLosses);
  return { lost: lost - inherent, inherent, endsSignedIn: r.endsSignedIn };
}

/** The figures `npm run bench -- --json` reports. */
export function soakFigures(r: MonthRecord) {
  const rem = reminders(r);
  const tr = traffic(r);
  const leak = leaks(r);
  const si = signIns(r);
  return {
    soak_days: Math.round((r.scenario.end - r.scenario.start) / (24 * HOUR)),
    soak_real_seconds: Number(r.realSeconds.toFixed(1)),
    soak_lost_sign_ins: si.lost,
    soak_inherent_losses: si.inherent,
    soak_token_refreshes: r.refreshes,
    soak_rss_growth_mib: Number(leak.rssGrowthMiB.toFixed(2)),
    soak_rss_growth_since_day3_mib: Number(leak.rssGrowthSinceSettledMiB.toFixed(2)),
    soak_heap_growth_mib: Number(leak.heapGrowthMiB.toFixed(2)),
    soak_timers_start: leak.timersStart,
    soak_timers_end: leak.timersEnd,
    soak_handles_start: leak.handlesStart,
    soak_handles_end: leak.handlesEnd,
    soak_reminders_expected: rem.expected,
    soak_reminders_fired: rem.fired,
    soak_reminders_late: rem.late.length,
    soak_reminders_missed: rem.missed.length,
    soak_reminders_extra: rem.extra.length,
    soak_max_requests_per_hour: tr.maxPerHour,
    soak_requests_per_awake_hour: Number(tr.meanPerAwakeHour.toFixed(2)),
    soak_max_requests_first_minute_back: tr.maxFirstMinuteBack,
    soak_max_menu_staleness_min: Number(staleness(r).maxMinutes.toFixed(1)),
  };
}
