/**
 * The calendar fixtures (test/fixtures/calendars/) and the time they are written around. Run as a
 * script, it prints the meetings of each fixture (and of the floating-time calendar) as JSON: the
 * time-zone test runs it under other TZ values, so the zone is the process's own from its start.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { prepareFeed } from '../../main/calendars/ics-meetings';

/** Monday 2026-12-07 08:00 UTC: every fixture's meetings sit in the week after it. */
export const PINNED_NOW = new Date('2026-12-07T08:00:00Z');
export const FIXTURES = ['google', 'outlook', 'icloud'] as const;
export type Fixture = (typeof FIXTURES)[number];

export function fixtureText(name: Fixture): string {
  return readFileSync(path.join(__dirname, '../fixtures/calendars', `${name}.ics`), 'utf8');
}

/**
 * Floating times (no TZID, no Z), in a calendar that also has a VTIMEZONE (which must not be
 * borrowed): a single meeting on Tuesday 09:00 and a weekly one on Wednesdays 09:00, wherever the
 * user is.
 */
export const FLOATING = `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//zoom-tray tests//floating//EN
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:floating-once
DTSTAMP:20261201T000000Z
DTSTART:20261208T090000
DTEND:20261208T093000
SUMMARY:Floating once
LOCATION:https://zoom.us/j/81234500001
END:VEVENT
BEGIN:VEVENT
UID:floating-weekly
DTSTAMP:20261201T000000Z
DTSTART:20261104T090000
DTEND:20261104T091500
RRULE:FREQ=WEEKLY;BYDAY=WE
SUMMARY:Floating weekly
LOCATION:https://zoom.us/j/81234500002
END:VEVENT
END:VCALENDAR
`;

/** What the meetings of a feed are, as JSON can say them: start (ISO), minutes, id, topic, link. */
export async function meetingsOf(text: string, calendar: string, selfEmails: readonly string[] = []): Promise<string[][]> {
  const parsed = await prepareFeed(text, { calendar });
  if (!parsed.ok) throw new Error(`${calendar}: ${parsed.reason}`);
  return (await parsed.feed.meetings(PINNED_NOW, selfEmails)).map((m) => [m.start.toISOString(), String(m.durationMinutes), m.id, m.topic, m.joinUrl ?? '']);
}

if (require.main === module) {
  void (async () => {
    const all: Record<string, string[][]> = {};
    for (const name of FIXTURES) all[name] = await meetingsOf(fixtureText(name), name, ['jane.doe@example.com']);
    all.floating = await meetingsOf(FLOATING, 'floating');
    process.stdout.write(JSON.stringify({ zone: Intl.DateTimeFormat().resolvedOptions().timeZone, meetings: all }));
  })();
}
