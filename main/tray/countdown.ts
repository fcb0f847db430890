import type { AppState } from '../app/state';
import { upcomingFrom } from '../meetings/upcoming';

const HOUR_MS = 60 * 60_000;
const MAX_TOPIC = 32;

/**
 * "Standup in 4 min": the next meeting of any account starting within the hour, counted in whole
 * minutes rounded up (so "in 1 min" until it starts); nothing when none is that close. Runs on the
 * meetings already held: no request. Pure.
 */
export function countdown(state: Pick<AppState, 'meetings' | 'others'>, now: Date): string | undefined {
  const all = [...(state.meetings ?? []), ...(state.others ?? []).flatMap((o) => o.meetings ?? [])];
  const next = upcomingFrom(all, now).find((m) => m.start.getTime() > now.getTime());
  if (!next) return undefined;
  const ms = next.start.getTime() - now.getTime();
  if (ms > HOUR_MS) return undefined;
  const topic = next.topic.length > MAX_TOPIC ? `${next.topic.slice(0, MAX_TOPIC - 1)}…` : next.topic;
  return `${topic} in ${Math.ceil(ms / 60_000)} min`;
}
