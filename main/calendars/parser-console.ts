// The console node-ical gets in dist/ics.js (scripts/build.mjs injects it in place of the global
// one): what it says there ("Ignoring invalid RRULE …", "Ignoring malformed DURATION …") quotes the
// feed, which must never reach a terminal unfiltered; the lines are kept for the debug log instead.
// Run from source (the tests), node-ical has the real console.

const MAX_NOTES = 20;
const notes: string[] = [];

function keep(...args: unknown[]): void {
  if (notes.length < MAX_NOTES) notes.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ').slice(0, 500));
}

export const console: Pick<Console, 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace'> = { log: keep, info: keep, warn: keep, error: keep, debug: keep, trace: keep };

/** What the parser said since the last call. */
export function takeParserNotes(): string[] {
  return notes.splice(0);
}
