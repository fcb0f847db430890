import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { durationMs, isCalendarText, isCompleteCalendar, refreshPeriodMs } from '../../main/calendars/feed-text';
import { pinFloatingTimes, prepareFeed, type PreparedFeed } from '../../main/calendars/ics-meetings';
import { readFeed } from '../../main/calendars/read-feed';
import { isZoomTrayError } from '../../main/lib/errors';
import { FIXTURES, fixtureText, FLOATING, meetingsOf, PINNED_NOW } from '../harness/calendar-fixtures';

async function feedOf(text: string, calendar = 'Test'): Promise<PreparedFeed> {
  const parsed = await prepareFeed(text, { calendar });
  assert.ok(parsed.ok, `not read: ${parsed.ok ? '' : parsed.reason}`);
  return parsed.feed;
}

/** A calendar of these events (each a list of content lines), on the pinned week. */
const calendar = (...events: string[][]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//zoom-tray tests//EN', ...events.flatMap((e, i) => ['BEGIN:VEVENT', `UID:e${i}`, 'DTSTAMP:20261201T000000Z', ...e, 'END:VEVENT']), 'END:VCALENDAR', ''].join('\r\n');

test('Google: UTC events, the link in LOCATION (with its passcode) or in conference data, HTML notes, a repeating meeting', async () => {
  assert.deepEqual(await meetingsOf(fixtureText('google'), 'Google'), [
    ['2026-12-07T15:00:00.000Z', '30', '81234567890', 'Design review', 'https://us02web.zoom.us/j/81234567890?pwd=AbCdEfGh123'],
    ['2026-12-08T10:00:00.000Z', '30', '86667778889', 'Team sync', 'https://zoom.us/j/86667778889?pwd=Sync2026'],
    ['2026-12-08T13:00:00.000Z', '45', '85550001111', '1:1 with Ann', 'https://zoom.us/j/85550001111?pwd=ZoomAddOn77'],
    ['2026-12-10T10:00:00.000Z', '30', '86667778889', 'Team sync', 'https://zoom.us/j/86667778889?pwd=Sync2026'],
  ]);
  // Not listed: a Meet call, the all-hands the calendar's owner (X-WR-CALNAME) declined, an all-day
  // event, a meeting next month. Each meeting is the app's own type.
  const [first] = await (await feedOf(fixtureText('google'), 'Google')).meetings(PINNED_NOW, []);
  assert.deepEqual(first, {
    id: '81234567890',
    topic: 'Design review',
    start: new Date('2026-12-07T15:00:00Z'),
    durationMinutes: 30,
    account: undefined,
    sources: ['calendar:Google'],
    action: { kind: 'join', url: 'https://us02web.zoom.us/j/81234567890?pwd=AbCdEfGh123' },
    joinUrl: 'https://us02web.zoom.us/j/81234567890?pwd=AbCdEfGh123',
  });
});

test('Outlook: a W. Europe series lists its moved occurrence at the new time only and omits the EXDATE; cancelled, declined, all-day, Teams and look-alikes are not listed', async () => {
  assert.deepEqual(await meetingsOf(fixtureText('outlook'), 'Outlook', ['JANE.DOE@example.com']), [
    ['2026-12-07T08:30:00.000Z', '15', '81112223334', 'Standup', 'https://contoso.zoom.us/j/81112223334?pwd=StandUp9'],
    // 10:00 in Berlin (CET, +01:00); the SafeLinks-wrapped link unwrapped with its passcode.
    ['2026-12-07T09:00:00.000Z', '45', '87654321098', 'Weekly planning', 'https://contoso.zoom.us/j/87654321098?pwd=sEcReT42'],
    // Tuesday's standup was cancelled as one occurrence (RECURRENCE-ID + STATUS:CANCELLED).
    ['2026-12-09T08:30:00.000Z', '15', '81112223334', 'Standup', 'https://contoso.zoom.us/j/81112223334?pwd=StandUp9'],
    ['2026-12-10T08:30:00.000Z', '15', '81112223334', 'Standup', 'https://contoso.zoom.us/j/81112223334?pwd=StandUp9'],
    ['2026-12-11T08:30:00.000Z', '15', '81112223334', 'Standup', 'https://contoso.zoom.us/j/81112223334?pwd=StandUp9'],
    // Friday 10:00 moved to 14:30; Wednesday 10:00 is an EXDATE.
    ['2026-12-11T13:30:00.000Z', '45', '87654321098', 'Weekly planning (moved)', 'https://contoso.zoom.us/j/87654321098?pwd=sEcReT42'],
  ]);
  const starts = (await meetingsOf(fixtureText('outlook'), 'Outlook', ['jane.doe@example.com'])).map(([start]) => start);
  assert.ok(!starts.includes('2026-12-11T09:00:00.000Z'), 'the moved occurrence is not at its old time');
  assert.ok(!starts.includes('2026-12-09T09:00:00.000Z'), 'the EXDATE is left out');
  // The vendor pitch Jane declined shows for anyone else.
  const others = await meetingsOf(fixtureText('outlook'), 'Outlook', ['someone.else@example.com']);
  assert.deepEqual(others.filter((m) => !starts.includes(m[0] ?? '')), [['2026-12-10T10:00:00.000Z', '30', '85556667778', 'Vendor pitch', 'https://zoom.us/j/85556667778?pwd=Vendor5']]);
});

test('iCloud: the link in URL, a ZoomGov meeting; zoom.com and a personal link are not meetings', async () => {
  assert.deepEqual(await meetingsOf(fixtureText('icloud'), 'iCloud'), [
    ['2026-12-09T00:00:00.000Z', '30', '96665554443', 'Parent-teacher conference', 'https://zoom.us/j/96665554443?pwd=School42'],
    ['2026-12-10T17:00:00.000Z', '60', '1601234567', 'Benefits Q&A', 'https://agency.zoomgov.com/j/1601234567?pwd=GovPass1'],
  ]);
});

test("the meetings are the same instants whatever the process's time zone; floating times are wall-clock times in it", async () => {
  const here = Object.fromEntries(await Promise.all(FIXTURES.map(async (name) => [name, await meetingsOf(fixtureText(name), name, ['jane.doe@example.com'])])));
  const script = path.join(__dirname, '../harness/calendar-fixtures.ts');
  const floating: Record<string, string[]> = {};
  for (const zone of ['America/New_York', 'Asia/Tokyo', 'UTC']) {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, TZ: zone }, encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    const { zone: seen, meetings } = JSON.parse(run.stdout) as { zone: string; meetings: Record<string, string[][]> };
    assert.equal(seen, zone, 'the child runs in that zone');
    for (const name of FIXTURES) assert.deepEqual(meetings[name], here[name], `${name} under TZ=${zone}`);
    floating[zone] = (meetings.floating ?? []).map(([start, , , topic]) => `${topic} ${start}`);
  }
  // 09:00 wherever the user is: not the feed's VTIMEZONE (Berlin), which would give 08:00Z everywhere.
  assert.deepEqual(floating, {
    'America/New_York': ['Floating once 2026-12-08T14:00:00.000Z', 'Floating weekly 2026-12-09T14:00:00.000Z'],
    'Asia/Tokyo': ['Floating once 2026-12-08T00:00:00.000Z', 'Floating weekly 2026-12-09T00:00:00.000Z'],
    UTC: ['Floating once 2026-12-08T09:00:00.000Z', 'Floating weekly 2026-12-09T09:00:00.000Z'],
  });
});

test('floating times get the local zone inside events only: VTIMEZONE rules, UTC and zoned times, dates stay as they are', () => {
  const pinned = pinFloatingTimes(FLOATING, 'Asia/Tokyo');
  assert.match(pinned, /^DTSTART;TZID=Asia\/Tokyo:20261208T090000$/m);
  assert.match(pinned, /^DTSTART:16010101T030000$/m, 'a VTIMEZONE rule is floating by definition');
  const zoned = calendar(['DTSTART;TZID=Europe/Berlin:20261208T090000', 'DTEND:20261208T100000Z', 'EXDATE;VALUE=DATE:20261209', 'RDATE:20261210T090000,20261211T090000']);
  const out = pinFloatingTimes(zoned, 'Asia/Tokyo');
  assert.match(out, /^DTSTART;TZID=Europe\/Berlin:20261208T090000$/m);
  assert.match(out, /^DTEND:20261208T100000Z$/m);
  assert.match(out, /^EXDATE;VALUE=DATE:20261209$/m);
  assert.match(out, /^RDATE;TZID=Asia\/Tokyo:20261210T090000,20261211T090000$/m);
});

test('Windows zone names without a VTIMEZONE (Outlook does that too) are mapped through CLDR', async () => {
  const text = calendar(['DTSTART;TZID=Romance Standard Time:20261208T140000', 'DTEND;TZID=Romance Standard Time:20261208T150000', 'SUMMARY:Paris', 'LOCATION:https://zoom.us/j/81234500003']);
  assert.deepEqual((await meetingsOf(text, 'x')).map(([start]) => start), ['2026-12-08T13:00:00.000Z']);
});

test('the window is an hour ago to a week ahead, a meeting under way included; no end means 60 minutes; no title means "Zoom meeting"', async () => {
  const link = 'LOCATION:https://zoom.us/j/81234500004';
  const text = calendar(
    ['DTSTART:20261207T063000Z', 'DTEND:20261207T093000Z', 'SUMMARY:Workshop under way', link],
    ['DTSTART:20261207T060000Z', 'DTEND:20261207T063000Z', 'SUMMARY:Over before the window', link],
    ['DTSTART:20261214T073000Z', 'SUMMARY:No end', link],
    ['DTSTART:20261214T090000Z', 'DTEND:20261214T100000Z', 'SUMMARY:After the week', link],
    ['DTSTART:20261208T090000Z', 'DURATION:PT1H30M', link],
    ['SUMMARY:No start at all', link],
  );
  assert.deepEqual(
    (await meetingsOf(text, 'x')).map(([start, minutes, , topic]) => `${start} ${minutes} ${topic}`),
    ['2026-12-07T06:30:00.000Z 180 Workshop under way', '2026-12-08T09:00:00.000Z 90 Zoom meeting', '2026-12-14T07:30:00.000Z 60 No end'],
  );
  const long = calendar(['DTSTART:20261208T090000Z', `SUMMARY:${'x'.repeat(5000)}`, link]);
  assert.equal((await meetingsOf(long, 'x'))[0]?.[3]?.length, 200, 'a title is a menu line, not a megabyte');
});

test('an event longer than 24 hours is no meeting: not one under way for months, nor a series or an occurrence that long', async () => {
  const link = (n: number): string => `LOCATION:https://zoom.us/j/8123450010${n}`;
  const text = calendar(
    // Office hours all quarter, under way since Friday: it would be "next" for three months.
    ['DTSTART:20261204T090000Z', 'DTEND:20270304T090000Z', 'SUMMARY:Open office (all quarter)', link(1)],
    ['DTSTART:20261208T090000Z', 'DURATION:PT24H1M', 'SUMMARY:A day and a minute', link(2)],
    ['DTSTART:20261209T090000Z', 'DURATION:PT24H', 'SUMMARY:A day exactly', link(3)],
    ['DTSTART:20261207T090000Z', 'DURATION:P2D', 'RRULE:FREQ=DAILY', 'SUMMARY:Two-day series', link(4)],
    ['DTSTART:20261207T120000Z', 'DTEND:20261207T123000Z', 'RRULE:FREQ=DAILY;COUNT=3', 'SUMMARY:Daily', link(5)],
    ['RECURRENCE-ID:20261208T120000Z', 'DTSTART:20261208T120000Z', 'DTEND:20261210T120000Z', 'SUMMARY:Daily (stretched)'],
    ['DTSTART:20261207T100000Z', 'DTEND:20261207T103000Z', 'SUMMARY:Real meeting', link(6)],
  ).replace('UID:e5', 'UID:e4');
  assert.deepEqual(
    (await meetingsOf(text, 'x')).map(([start, minutes, , topic]) => `${start} ${minutes} ${topic}`),
    ['2026-12-07T10:00:00.000Z 30 Real meeting', '2026-12-07T12:00:00.000Z 30 Daily', '2026-12-09T09:00:00.000Z 1440 A day exactly', '2026-12-09T12:00:00.000Z 30 Daily'],
  );
});

test('a series declined as a whole still shows the occurrence accepted on its own, and the reverse', async () => {
  const series = ['DTSTART:20261207T120000Z', 'DTEND:20261207T123000Z', 'RRULE:FREQ=DAILY;COUNT=4', 'LOCATION:https://zoom.us/j/81234500005', 'SUMMARY:Daily'];
  const text = calendar(
    [...series, 'ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.com'],
    ['RECURRENCE-ID:20261208T120000Z', 'DTSTART:20261208T120000Z', 'DTEND:20261208T123000Z', 'SUMMARY:Daily (this one)', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com'],
  ).replace('UID:e1', 'UID:e0');
  assert.deepEqual((await meetingsOf(text, 'x', ['me@example.com'])).map(([, , , topic]) => topic), ['Daily (this one)']);
  assert.equal((await meetingsOf(text, 'x', [])).length, 4, 'nobody is "me": all four');
  const reverse = calendar(
    [...series, 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com'],
    ['RECURRENCE-ID:20261208T120000Z', 'DTSTART:20261208T120000Z', 'DTEND:20261208T123000Z', 'ATTENDEE;PARTSTAT=DECLINED;EMAIL=me@example.com:mailto:alias@example.com'],
  ).replace('UID:e1', 'UID:e0');
  assert.deepEqual((await meetingsOf(reverse, 'x', ['me@example.com'])).map(([start]) => start), ['2026-12-07T12:00:00.000Z', '2026-12-09T12:00:00.000Z', '2026-12-10T12:00:00.000Z']);
});

test('rules no meeting has are skipped, not expanded: sub-daily, several times a day, huge COUNTs', async () => {
  const link = 'LOCATION:https://zoom.us/j/81234500006';
  const start = ['DTSTART:20000103T100000Z', 'DTEND:20000103T103000Z', link];
  const text = calendar(
    [...start, 'RRULE:FREQ=SECONDLY', 'SUMMARY:secondly'],
    [...start, 'RRULE:FREQ=HOURLY', 'SUMMARY:hourly'],
    [...start, 'RRULE:FREQ=DAILY;BYHOUR=9,10,11', 'SUMMARY:byhour'],
    [...start, `RRULE:FREQ=YEARLY;BYMONTH=${Array.from({ length: 12 }, (_, i) => i + 1).join(',')};BYMONTHDAY=${Array.from({ length: 28 }, (_, i) => i + 1).join(',')};BYMINUTE=0,30;COUNT=100000`, 'SUMMARY:explosive'],
    [...start, 'RRULE:FREQ=DAILY;COUNT=9000', 'SUMMARY:count'],
    // A daily meeting since 2000, unbounded: node-ical starts at the window, not at 2000.
    [...start, 'RRULE:FREQ=DAILY', 'SUMMARY:daily since 2000'],
    // Counted from 1990 a day at a time: past node-ical's own cap (10,000 periods), which throws; left out.
    ['DTSTART:19900101T100000Z', 'DTEND:19900101T103000Z', link, 'RRULE:FREQ=DAILY;BYDAY=MO;COUNT=5000', 'SUMMARY:capped'],
  );
  const feed = await feedOf(text);
  assert.equal(feed.skipped, 5);
  const meetings = await feed.meetings(PINNED_NOW, []);
  assert.deepEqual([...new Set(meetings.map((m) => m.topic))], ['daily since 2000']);
  assert.equal(meetings.length, 7);
});

test('rules calendar apps never write are left out when the feed is read; the ones they write are expanded', async () => {
  const link = 'LOCATION:https://zoom.us/j/81234500011';
  const days = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => i + from).join(',');
  const at = (rule: string, start = '20261101T100000Z'): string[] => [`DTSTART:${start}`, 'DURATION:PT30M', `RRULE:${rule}`, `SUMMARY:${rule}`, link];
  const never = [
    `FREQ=YEARLY;BYYEARDAY=${days(366)}`,
    'FREQ=YEARLY;BYYEARDAY=342',
    'FREQ=YEARLY;BYWEEKNO=50;BYDAY=TU',
    'FREQ=DAILY;BYMONTHDAY=8',
    'FREQ=DAILY;BYMONTH=12',
    'FREQ=WEEKLY;BYDAY=TU;BYMONTH=12',
    'FREQ=WEEKLY;BYDAY=FR;BYMONTHDAY=13',
    'FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=1',
    `FREQ=MONTHLY;BYMONTHDAY=${days(31, -31)},${days(31)}`,
    'RSCALE=HEBREW;FREQ=YEARLY',
  ];
  const written = [
    'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
    'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU',
    'FREQ=MONTHLY;BYMONTHDAY=8',
    `FREQ=MONTHLY;BYMONTHDAY=${days(31)}`,
    'FREQ=MONTHLY;BYDAY=2TU',
    'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=6;COUNT=100',
    'FREQ=YEARLY;BYMONTH=12;BYDAY=2WE;COUNT=20',
    'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=9',
  ];
  const feed = await feedOf(calendar(...never.map((rule) => at(rule)), ...written.map((rule) => at(rule))));
  assert.equal(feed.skipped, never.length);
  const topics = new Set((await feed.meetings(PINNED_NOW, [])).map((m) => m.topic));
  assert.deepEqual([...topics].sort(), [...written].sort());
  assert.equal(feed.skipped, never.length, 'nothing more left out reading the week');
});

test('a COUNT is walked from its first occurrence: over when its walk ends before the window, left out when the walk would cost too much; sparse ones calendar apps make still show', async () => {
  const link = 'LOCATION:https://zoom.us/j/81234500012';
  const at = (start: string, rule: string): string[] => [`DTSTART:${start}`, 'DURATION:PT30M', `RRULE:${rule}`, `SUMMARY:${start.slice(0, 4)} ${rule}`, link];
  const feed = await feedOf(
    calendar(
      at('20000108T100000Z', 'FREQ=MONTHLY;COUNT=12'),
      at('19000108T100000Z', 'FREQ=MONTHLY;COUNT=5000'),
      at('19700101T100000Z', `FREQ=YEARLY;BYMONTH=${Array.from({ length: 12 }, (_, i) => i + 1).join(',')};BYDAY=MO,TU,WE,TH,FR,SA,SU;BYSETPOS=1;COUNT=5000`),
      at('20000108T100000Z', 'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=8;COUNT=30'),
      at('20240108T100000Z', 'FREQ=MONTHLY;BYMONTHDAY=8;COUNT=40'),
      at('20240831T100000Z', 'FREQ=MONTHLY;BYMONTHDAY=31;COUNT=20'),
    ),
  );
  assert.equal(feed.skipped, 0, 'all are rules calendar apps write');
  const meetings = await feed.meetings(PINNED_NOW, []);
  assert.deepEqual(
    meetings.map((m) => `${m.start.toISOString().slice(0, 10)} ${m.topic}`),
    ['2026-12-08 2000 FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=8;COUNT=30', '2026-12-08 2024 FREQ=MONTHLY;BYMONTHDAY=8;COUNT=40'],
  );
  // The 31st of the months that have one, from August 2024: the 20th is 2026-12-31, after the week.
  // The monthly one from 1900 (1,524 months to walk) and the yearly one from 1970 (a year of days
  // each period) would cost too much: counted; the one of 2000 is over: not counted.
  assert.equal(feed.skipped, 2);
});

test('one read of the window is bounded: in time (250 ms of expanding), and in meetings (5,000); what is past either is counted', async () => {
  const link = (i: number): string => `LOCATION:https://zoom.us/j/${81300000000 + i}`;
  const series = Array.from({ length: 10 }, (_, i) => ['DTSTART:20261101T100000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY', `SUMMARY:s${i}`, link(i)]);
  // A stand-in clock: each measurement 100 ms later. Three series are expanded (300 ms), seven left out.
  let ms = 0;
  const parsed = await prepareFeed(calendar(...series), { calendar: 'x', timer: () => (ms += 100) });
  assert.ok(parsed.ok);
  const meetings = await parsed.feed.meetings(PINNED_NOW, []);
  assert.deepEqual([...new Set(meetings.map((m) => m.topic))], ['s0', 's1', 's2']);
  assert.equal(parsed.feed.skipped, 7);
  // 6,000 meetings in one week: the first 5,000 of the feed.
  // A clock that stands still, so only the count can stop it however loaded the machine is.
  const text = calendar(...Array.from({ length: 6000 }, (_, i) => [`DTSTART:20261208T${String(i % 24).padStart(2, '0')}0000Z`, 'DURATION:PT30M', `SUMMARY:m${i}`, link(i)]));
  const read = await prepareFeed(text, { calendar: 'x', timer: () => 0 });
  assert.ok(read.ok);
  assert.equal((await read.feed.meetings(PINNED_NOW, [])).length, 5000);
  assert.equal(read.feed.skipped, 1000);
});

test('the repeat rules of a hostile feed cost a read a fraction of a second, not seconds', async () => {
  // 500 series each. Before these bounds (f79d7e1, one machine of 2 cores): the yearly rule on
  // all 366 days of the year took 1.1–1.4 s a read (2.25 s in the fault probe); the yearly one on
  // all days of all months by set position, counted from 2016, 35 s the first read, 9 s the next.
  // Now: nothing to expand, and about 0.3 s (a read stops expanding at 250 ms). 2 s leaves room
  // for any loaded machine.
  const rules = {
    'every day of the year': ['DTSTART:19000101T090000Z', `RRULE:FREQ=YEARLY;BYYEARDAY=${Array.from({ length: 366 }, (_, i) => i + 1).join(',')}`],
    'every day of every month by set position, counted': ['DTSTART:20160101T090000Z', `RRULE:FREQ=YEARLY;BYMONTH=${Array.from({ length: 12 }, (_, i) => i + 1).join(',')};BYDAY=MO,TU,WE,TH,FR,SA,SU;BYSETPOS=1,2,3;COUNT=5000`],
  };
  for (const [name, rule] of Object.entries(rules)) {
    const feed = await feedOf(calendar(...Array.from({ length: 500 }, (_, i) => [...rule, 'DURATION:PT30M', `SUMMARY:s${i}`, `LOCATION:https://zoom.us/j/${81400000000 + i}`])));
    const started = performance.now();
    await feed.meetings(PINNED_NOW, []);
    const ms = performance.now() - started;
    assert.ok(ms < 2000, `${name}: ${Math.round(ms)} ms`);
    assert.ok(feed.skipped > 0, `${name}: some left out`);
  }
});

test('how often to ask again: REFRESH-INTERVAL, else X-PUBLISHED-TTL, clamped to 15 minutes … 6 hours', async () => {
  const head = (...lines: string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'BEGIN:VEVENT', 'X-PUBLISHED-TTL:PT2H', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
  const minutes = (text: string): number => refreshPeriodMs(text) / 60_000;
  assert.equal(minutes(head('REFRESH-INTERVAL;VALUE=DURATION:PT1H')), 60);
  assert.equal(minutes(head('X-PUBLISHED-TTL:PT3H')), 180);
  assert.equal(minutes(head('X-PUBLISHED-TTL:PT3H', 'REFRESH-INTERVAL;VALUE=DURATION:PT45M')), 45, 'the standard property wins');
  assert.equal(minutes(head('REFRESH-INTERVAL;VALUE=DURATION:PT1M')), 15, 'no more often than 15 minutes');
  assert.equal(minutes(head('X-PUBLISHED-TTL:P1W')), 360, 'no less often than 6 hours');
  assert.equal(minutes(head('REFRESH-INTERVAL;VALUE=DURATION:P\r\n T2H')), 120, 'a folded line');
  assert.equal(minutes(head('X-PUBLISHED-TTL:soon')), 15, 'garbled: the default');
  assert.equal(minutes(head()), 15, "an event's property is not the calendar's");
  assert.equal((await feedOf(fixtureText('outlook'))).refreshMs, 30 * 60_000, "Outlook's X-PUBLISHED-TTL:PT30M");
  assert.equal((await feedOf(fixtureText('google'))).refreshMs, 15 * 60_000);
  assert.deepEqual(['PT1H', 'P1D', 'P1W', 'PT1H30M5S', '-PT1H', 'P', 'PT', 'P1Y'].map(durationMs), [3_600_000, 86_400_000, 604_800_000, 5_405_000, undefined, undefined, undefined, undefined]);
});

test('what is not a calendar (a sign-in page) is refused with a typed error naming the calendar and its host', async () => {
  const page = '<!DOCTYPE html>\n<html><head><title>Sign in - Google Accounts</title></head><body><form>BEGIN:VCALENDAR</form></body></html>';
  assert.equal(isCalendarText(page), false);
  assert.equal(isCalendarText('\uFEFF\r\n\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n'), true, 'a byte-order mark and blank lines before it');
  assert.equal(isCalendarText('{"error":"not found"}'), false);
  assert.deepEqual(await prepareFeed(page, { calendar: 'Work' }), { ok: false, reason: 'not-a-calendar' });
  await assert.rejects(readFeed(page, { name: 'Work', host: 'calendar.google.com' }), (err) => {
    assert.ok(isZoomTrayError(err));
    assert.equal(err.kind, 'calendar');
    assert.equal(err.exitCode, 9);
    assert.match(err.message, /^calendar "Work" \(calendar\.google\.com\) did not answer with a calendar/);
    return true;
  });
  // What the parser itself gives up on is the same kind of error, its cause kept for the log.
  const broken = calendar(['DTSTART:20261208T090000Z', 'DTSTART:20261208T100000Z', 'LOCATION:https://zoom.us/j/81234500007']);
  await assert.rejects(readFeed(broken, { name: 'Work', host: 'example.org' }), (err) => isZoomTrayError(err) && err.kind === 'calendar' && err.cause !== undefined);
});

test('a calendar cut short (no END:VCALENDAR at its end) is refused as incomplete, naming the calendar', async () => {
  const whole = fixtureText('google');
  assert.equal(isCompleteCalendar(whole), true);
  assert.equal(isCompleteCalendar('BEGIN:VCALENDAR\r\nEND:VCALENDAR'), true);
  assert.equal(isCompleteCalendar('BEGIN:VCALENDAR\r\nend:vcalendar\r\n\r\n  \n'), true, 'any case, blank lines after it');
  // Cut anywhere before its last line, even in that line or right after an event.
  for (const cut of [whole.indexOf('END:VEVENT') + 12, whole.lastIndexOf('END:VCALENDAR'), whole.lastIndexOf('END:VCALENDAR') + 8]) {
    const text = whole.slice(0, cut);
    assert.equal(isCompleteCalendar(text), false, text.slice(-40));
    assert.deepEqual(await prepareFeed(text, { calendar: 'Work' }), { ok: false, reason: 'incomplete' });
  }
  assert.equal(isCompleteCalendar('BEGIN:VCALENDAR\r\nX-END:VCALENDAR\r\n'), false);
  await assert.rejects(readFeed('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n', { name: 'Work', host: 'calendar.google.com' }), (err) => {
    assert.ok(isZoomTrayError(err));
    assert.equal(err.kind, 'calendar');
    assert.match(err.message, /^calendar "Work" \(calendar\.google\.com\) sent an incomplete calendar/);
    return true;
  });
});

test("the bundled parser (dist/ics.js) keeps node-ical's console lines, which quote the feed, for the debug log", async () => {
  const bundled = require('../../dist/ics.js') as typeof import('../../main/calendars/ics-meetings');
  const text = calendar(['DTSTART:20261208T100000Z', 'RRULE:FREQ=WEEKLY;BYDAY=ZZ\u001b[31m', 'LOCATION:https://zoom.us/j/81234500010']);
  const parsed = await bundled.prepareFeed(text, { calendar: 'x' });
  assert.ok(parsed.ok);
  assert.equal(parsed.feed.notes.length, 1);
  assert.match(parsed.feed.notes[0] ?? '', /^\[node-ical\] Ignoring invalid RRULE/);
});
