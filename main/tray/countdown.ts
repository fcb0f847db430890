import { type AppState, agendaOf } from '../app/state';
import { upcoming } from '../meetings/meeting';
import { printable } from '../lib/redact';

const HOUR_MS = 60 * 60_000;
const MAX_TOPIC = 32;

/**
 * "Standup in 4 min": the next meeting of any account or calendar starting within the hour, counted in whole
 * minutes rounded up (so "in 1 min" until it starts); nothing when none is that close. Runs on the
 * meetings already held: no request. Pure.
 */
export function countdown(state: Pick<AppState, 'meetings' | 'others' | 'calendars'>, now: Date): string | undefined {
  const next = upcoming(agendaOf(state), now).find((m) => m.start.getTime() > now.getTime());
  if (!next) return undefined;
  const ms = next.start.getTime() - now.getTime();
  if (ms > HOUR_MS) return undefined;
  // By code point, so an emoji is never cut in half; shown, never obeyed (bidi, controls).
  const chars = [...printable(next.topic)];
  const topic = chars.length > MAX_TOPIC ? `${chars.slice(0, MAX_TOPIC - 1).join('')}…` : chars.join('');
  return `${topic} in ${Math.ceil(ms / 60_000)} min`;
}
