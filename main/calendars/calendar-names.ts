import { excerpt } from '../lib/redact';

/** A calendar as the user and the messages know it: its name, and the host of its address (never the address). */
export interface CalendarRef {
  readonly name: string;
  readonly host: string;
}

/** A name is a menu label and a CLI argument: short enough for both. */
export const MAX_NAME_LENGTH = 32;

/** How a calendar is named in every message: `calendar "Work" (calendar.google.com)`; a host past any DNS name's length (a hand-edited list, a pasted address) is cut. */
export function calendarLabel(calendar: CalendarRef): string {
  return `calendar "${excerpt(calendar.name, MAX_NAME_LENGTH)}" (${excerpt(calendar.host, 80)})`;
}

/** The providers whose secret addresses users paste, named as their users call them. */
const PROVIDERS: readonly (readonly [RegExp, string])[] = [
  [/^calendar\.google\.com$/, 'Google'],
  [/^(?:outlook\.office365\.com|outlook\.office\.com|outlook\.live\.com)$/, 'Outlook'],
  [/(?:^|\.)icloud\.com$/, 'iCloud'],
  [/(?:^|\.)fastmail\.com$/, 'Fastmail'],
];

/** What a calendar is called when the user gives no name: its provider's name, else its host. */
export function defaultName(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return PROVIDERS.find(([pattern]) => pattern.test(host))?.[1] ?? host.slice(0, MAX_NAME_LENGTH);
}

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `name`, or "name 2", "name 3"… : the first that none of `taken` has (case-insensitive). */
export function uniqueName(name: string, taken: readonly string[]): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` ${n}`;
    const candidate = `${name.slice(0, MAX_NAME_LENGTH - suffix.length)}${suffix}`;
    if (!taken.some((t) => sameName(t, candidate))) return candidate;
  }
}

/**
 * Why a name the user typed cannot be one, or undefined when it can: 1–32 printable characters, no
 * leading or trailing space, and not a link (a name is kept in a plain file; an address is secret).
 */
export function nameProblem(name: string): string | undefined {
  if (/:\/\/|^webcals?:/i.test(name)) return 'a name is not a link (give the address first, the name after --name)';
  if (name.length === 0 || name.trim() !== name) return 'a name has no space at either end and is not empty';
  if (name.length > MAX_NAME_LENGTH) return `a name is at most ${MAX_NAME_LENGTH} characters`;
  // Controls, bidi overrides and line separators: what printable() in lib/redact would mark.
  if (/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(name)) return 'a name has only printable characters';
  return undefined;
}
