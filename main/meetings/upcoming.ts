import type { Meeting } from '../zoom/schemas';

export interface TimedMeeting {
  readonly id: string;
  readonly topic: string;
  readonly start: Date;
  readonly durationMinutes: number;
  readonly joinUrl?: string;
}

const DEFAULT_DURATION_MINUTES = 60;

/** Scheduled meetings with a start time, ended ones dropped, soonest first. */
export function upcomingFrom(meetings: readonly Meeting[], now: Date): TimedMeeting[] {
  const timed: TimedMeeting[] = [];
  for (const m of meetings) {
    if (!m.start_time) continue; // recurring with no fixed time: nothing to order by
    const start = new Date(m.start_time);
    if (Number.isNaN(start.getTime())) continue;
    const durationMinutes = m.duration && m.duration > 0 ? m.duration : DEFAULT_DURATION_MINUTES;
    if (start.getTime() + durationMinutes * 60_000 <= now.getTime()) continue;
    timed.push({ id: m.id, topic: m.topic || 'Zoom meeting', start, durationMinutes, ...(m.join_url ? { joinUrl: m.join_url } : {}) });
  }
  return timed.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The meeting "next" starts: one already under way (its host may be late) or the soonest to come. */
export function nextMeeting(meetings: readonly Meeting[], now: Date): TimedMeeting | undefined {
  return upcomingFrom(meetings, now)[0];
}
