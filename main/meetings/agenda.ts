import { type Meeting, occurrenceOf } from './meeting';

function union(a: readonly string[], b: readonly string[]): readonly string[] {
  return b.every((s) => a.includes(s)) ? a : [...a, ...b.filter((s) => !a.includes(s))];
}

/**
 * Every source's meetings as one list, one entry per meeting (by meeting ID and start):
 * - a meeting an account hosts starts as host with that account, wherever else it was seen (an
 *   invitation of another account, a calendar);
 * - a calendar event whose meeting ID an account hosts is that meeting, at the calendar's time, with
 *   Zoom's topic (not the text of whoever wrote the event);
 * - anything else joins by its link.
 * The lists come in order: the accounts' first, the default first (its hosting wins a tie), then
 * the calendars'; an entry keeps the first list's topic and times, and names every source. Pure.
 */
export function agenda(lists: readonly (readonly Meeting[])[]): Meeting[] {
  const hostedBy = new Map<string, Meeting>();
  for (const list of lists) for (const m of list) if (m.action.kind === 'start' && !hostedBy.has(m.id)) hostedBy.set(m.id, m);
  const merged = new Map<string, Meeting>();
  const add = (m: Meeting): void => {
    const key = occurrenceOf(m);
    const seen = merged.get(key);
    const host = hostedBy.get(m.id);
    const hosted = host ? ({ account: host.account, topic: host.topic, action: { kind: 'start' } } as const) : {};
    if (!seen) {
      merged.set(key, { ...m, ...hosted });
      return;
    }
    const sources = union(seen.sources, m.sources);
    if (sources !== seen.sources) merged.set(key, { ...seen, sources });
  };
  for (const list of lists) for (const m of list) add(m);
  return [...merged.values()];
}
