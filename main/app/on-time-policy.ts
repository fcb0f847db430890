import { type Meeting, occurrenceOf } from '../meetings/meeting';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** A meeting started from zoom-tray this long before it begins counts as that occurrence started. */
const EARLY_START_MS = 2 * HOUR_MS;

export interface OnTimeSettings {
  /** Minutes before a meeting to remind of it; 0: no reminders. */
  readonly reminderMinutes: number;
  /** Start each meeting the user hosts in the minute it begins. */
  readonly autoStart: boolean;
  /** Join each other meeting in the minute it begins. */
  readonly autoJoin: boolean;
}

/** What was already done: the policy never does it twice. */
export interface OnTimeMemory {
  /** Reminders given and automatic starts made, with the meeting's start time (forgotten an hour after it). */
  readonly handled: ReadonlyMap<string, number>;
  /**
   * When each meeting was last started from zoom-tray: that occurrence is not reminded or started
   * by itself again. By time, since a recurring meeting keeps its ID from one day to the next.
   */
  readonly startedAt: ReadonlyMap<string, number>;
}

export type OnTimeAction =
  | { readonly kind: 'remind'; readonly meeting: Meeting }
  /** Reminders past the first few of one minute, said in one notification. */
  | { readonly kind: 'remind-more'; readonly meetings: readonly Meeting[] }
  | { readonly kind: 'open'; readonly meeting: Meeting };

/**
 * A calendar can hold any number of meetings at one time (a hostile feed, a shared team calendar):
 * past these, one minute brings one summary reminder and opens one meeting, never a wall of
 * notifications or browser tabs.
 */
const MAX_REMINDERS = 3;
const MAX_OPENS = 1;

export const NOTHING_DONE: OnTimeMemory = { handled: new Map(), startedAt: new Map() };

/** Started from zoom-tray for this occurrence: at most two hours before it begins, or since. */
export function startedEarly(meeting: Meeting, startedAt: OnTimeMemory['startedAt']): boolean {
  return (startedAt.get(meeting.id) ?? -Infinity) >= meeting.start.getTime() - EARLY_START_MS;
}

/** Whole minutes until a meeting, rounded up, and at least 1: "starts in 1 min" until it starts. */
export function minutesUntil(meeting: Meeting, now: number): number {
  return Math.max(1, Math.ceil((meeting.start.getTime() - now) / MINUTE_MS));
}

/**
 * (meetings ahead, now, settings, what was done) → what to do now, and what will then have been
 * done. The reminder falls N minutes before a meeting, the automatic start (or join) in the minute it begins;
 * each once per occurrence, and never for one started from zoom-tray already. A start missed while
 * the machine slept is not made late. Pure: the scheduler runs it each minute.
 */
export function planOnTime(meetings: readonly Meeting[], now: number, settings: OnTimeSettings, memory: OnTimeMemory): { actions: OnTimeAction[]; memory: OnTimeMemory } {
  const handled = new Map([...memory.handled].filter(([, at]) => at >= now - HOUR_MS));
  const startedAt = new Map([...memory.startedAt].filter(([, at]) => at >= now - DAY_MS));
  const actions: OnTimeAction[] = [];
  const more: Meeting[] = [];
  let reminders = 0;
  let opens = 0;
  for (const meeting of meetings) {
    const at = meeting.start.getTime();
    const until = at - now;
    const key = occurrenceOf(meeting);
    if (handled.has(`open ${key}`) || startedEarly(meeting, startedAt)) continue;
    // A start on time needs Zoom's word for the time: a calendar event of a meeting the user hosts
    // (anyone can put one in a calendar) is reminded of, and started by a click only.
    const onTime = meeting.action.kind === 'start' ? settings.autoStart && meeting.sources.includes('zoom') : settings.autoJoin;
    if (onTime && until <= 0 && until > -MINUTE_MS) {
      handled.set(`open ${key}`, at);
      if (opens++ < MAX_OPENS) actions.push({ kind: 'open', meeting });
    } else if (until > 0 && until <= settings.reminderMinutes * MINUTE_MS && !handled.has(`remind ${key}`)) {
      handled.set(`remind ${key}`, at);
      if (reminders++ < MAX_REMINDERS) actions.push({ kind: 'remind', meeting });
      else more.push(meeting);
    }
  }
  if (more.length > 0) actions.push({ kind: 'remind-more', meetings: more });
  return { actions, memory: { handled, startedAt } };
}
