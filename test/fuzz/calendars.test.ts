// Calendars: the address a user pastes (a secret), the feed a server answers (anything, up to
// megabytes), the Zoom links in its events, and the list of calendars kept in a file. Each reads
// without throwing; only Zoom links become meetings; no message repeats more than an excerpt.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { calendarLabel, defaultName, MAX_NAME_LENGTH, nameProblem, uniqueName } from '../../main/calendars/calendar-names';
import { CalendarList } from '../../main/calendars/calendar-list';
import { parseFeedAddress } from '../../main/calendars/feed-address';
import { durationMs, isCalendarText, isCompleteCalendar, MAX_REFRESH_MS, MIN_REFRESH_MS, refreshPeriodMs } from '../../main/calendars/feed-text';
import type { prepareFeed as PrepareFeed } from '../../main/calendars/ics-meetings';
import { findZoomLink, MAX_FIELD_LENGTH, stripHtml } from '../../main/calendars/zoom-link';
import { PINNED_NOW } from '../harness/calendar-fixtures';
import { assertBoundedMessage, assertZoomUrl, bulky, FIVE_MB, holds, holdsAsync, outcomeAsync, outsideText, runs, timed } from './properties';

// The bundle the app runs (scripts/build.mjs): node-ical's console lines, which quote the feed, kept for the log.
const { prepareFeed } = require('../../dist/ics.js') as { prepareFeed: typeof PrepareFeed };

const root = mkdtempSync(path.join(os.tmpdir(), 'zoom-tray-fuzz-calendars-'));
after(() => rmSync(root, { recursive: true, force: true }));

const LINKS = ['https://us06web.zoom.us/j/81234567890?pwd=AbC1', 'https://zoom.us/j/5551234567', 'https://a..zoom.us/j/81234567890', 'https://evil.example/j/81234567890', 'http://zoom.us/j/81234567890', 'https://zoom.us/my/jane', 'https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fzoom.us%2Fj%2F81234567890&data=x', 'https://www.google.com/url?q=https://evil.example/j/81234567890'];
const fieldText = fc.oneof(
  outsideText([...LINKS, '<a href="', '">', '</a>', '<script>', '</script>', '<style>', '&amp;', '&#x3a;', '&#1114112;', '&#55296;', 'pwd=', '\\n', ' '], 10),
  bulky(fc.constantFrom('<a href="x', '<', '&amp;', 'https://zoom.us/j/', 'https://')),
);

test('findZoomLink: only a Zoom meeting link, with its ID, whatever the fields hold', () => {
  holds(
    fc.property(fc.record({ conference: fieldText, url: fieldText, location: fieldText, description: fieldText, htmlDescription: fieldText }, { requiredKeys: [] }), (event) => {
      const found = findZoomLink(event);
      if (found === undefined) return;
      assert.match(found.id, /^\d{9,12}$/);
      assertZoomUrl(found.url);
    }),
  );
});

const feedLines = [
  'VERSION:2.0', 'PRODID:-//fuzz//EN', 'BEGIN:VEVENT', 'END:VEVENT', 'UID:e1', 'UID:e1', 'DTSTAMP:20261201T000000Z',
  'DTSTART:20261208T100000Z', 'DTSTART;TZID=Europe/Berlin:20261208T100000', 'DTSTART;TZID=Nowhere/City:20261208T100000', 'DTSTART:20261208T100000', 'DTSTART;VALUE=DATE:20261208', 'DTSTART:99991231T235959Z', 'DTSTART:x',
  'DTEND:20261208T103000Z', 'DTEND:20261201T000000Z', 'DURATION:PT30M', 'DURATION:P400D', 'DURATION:-PT1H',
  'RRULE:FREQ=DAILY;COUNT=5', 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE', 'RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=4000', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=5000', 'RRULE:FREQ=SECONDLY', 'RRULE:FREQ=DAILY;BYHOUR=1,2,3', 'RRULE:FREQ=YEARLY;BYYEARDAY=1', 'RRULE:FREQ=DAILY;UNTIL=20261231T000000Z', 'RRULE:garbage',
  'EXDATE:20261209T100000Z', 'RECURRENCE-ID:20261210T100000Z', 'STATUS:CANCELLED', 'ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.com', 'SUMMARY:Standup',
  ...LINKS.map((l) => `LOCATION:${l}`), `DESCRIPTION:Join: ${LINKS[0]}\\nMeeting ID: 812 3456 7890`, `X-ALT-DESC;FMTTYPE=text/html:<a href="${LINKS[1]}">join</a>`, `URL:${LINKS[1]}`, `X-GOOGLE-CONFERENCE:${LINKS[0]}`,
  'BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'END:VTIMEZONE', 'BEGIN:VALARM', 'END:VALARM', 'REFRESH-INTERVAL;VALUE=DURATION:PT1H', 'X-PUBLISHED-TTL:P1W', 'X-WR-CALNAME:me@example.com', ' folded', '',
];
const feed = fc
  .tuple(fc.constantFrom('BEGIN:VCALENDAR', '\uFEFFBEGIN:VCALENDAR', 'begin:vcalendar', '<html>', ''), fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...feedLines) }, outsideText([':', ';', '='], 4)), { maxLength: 40 }), fc.constantFrom('END:VCALENDAR', 'END:VCALENDAR\r\n', 'END:VEVENT', ''), fc.constantFrom('\r\n', '\n'))
  .map(([head, lines, end, eol]) => [head, ...lines, end].join(eol));

test('a feed: read or refused (never a throw), and its meetings: Zoom links, in the window, a menu line long at most', async () => {
  await holdsAsync(
    fc.asyncProperty(feed, async (text) => {
      assert.equal(typeof isCalendarText(text), 'boolean');
      assert.equal(typeof isCompleteCalendar(text), 'boolean');
      const refresh = refreshPeriodMs(text);
      assert.ok(refresh >= MIN_REFRESH_MS && refresh <= MAX_REFRESH_MS, String(refresh));
      const parsed = await outcomeAsync(() => prepareFeed(text, { calendar: 'Fuzz', localZone: 'Europe/Berlin' }));
      assert.ok(parsed.ok, 'prepareFeed answers, never throws');
      if (!parsed.value.ok) return;
      const meetings = await outcomeAsync(() => parsed.value.ok ? parsed.value.feed.meetings(PINNED_NOW, ['me@example.com']) : Promise.resolve([]));
      assert.ok(meetings.ok, 'meetings() answers, never throws');
      for (const m of meetings.value) {
        assert.match(m.id, /^\d{9,12}$/);
        assertZoomUrl(m.joinUrl ?? '');
        assert.ok(m.topic.length <= 200 && m.durationMinutes > 0 && !Number.isNaN(m.start.getTime()));
        assert.ok(m.start.getTime() + m.durationMinutes * 60_000 >= PINNED_NOW.getTime() - 2 * 60 * 60_000, m.start.toISOString());
      }
    }),
    runs(150),
  );
});

test('durationMs: a number of milliseconds or nothing, whatever the text', () => {
  holds(
    fc.property(outsideText(['P', 'T', 'W', 'D', 'H', 'M', 'S', '+', '1', '99999999999999999999'], 8), (text) => {
      const ms = durationMs(text);
      assert.ok(ms === undefined || (Number.isFinite(ms) || ms === Infinity) && ms >= 0, String(ms));
    }),
  );
});

const address = fc.oneof(
  fc.constantFrom('webcal://calendar.example/private/basic.ics', 'webcals://x.example/f', 'https://u:p@calendar.example/x', 'http://127.0.0.1:8080/x', 'http://calendar.example/x', 'ftp://x', 'not a link', ''),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.tuple(bulky(fc.constantFrom('a', 'x-y')), fc.constantFrom('://calendar.example/', ':', '://')).map(([a, b]) => a + b),
  outsideText(['https://', 'webcal://', ':', '/', '@'], 8),
);

test("a calendar's address: a URL it may fetch, or why not in a few words that never repeat the address", () => {
  holds(
    fc.property(address, (text) => {
      const parsed = parseFeedAddress(text);
      if (parsed.ok) {
        assert.ok(parsed.url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(parsed.url.hostname), parsed.url.href.slice(0, 100));
        assert.ok(!parsed.url.username && !parsed.url.password && !parsed.url.hash);
        assertBoundedMessage(calendarLabel({ name: defaultName(parsed.url.hostname), host: parsed.url.host }), 'the label');
      } else {
        assert.ok(parsed.why.length <= 160, `${parsed.why.length}: ${parsed.why.slice(0, 200)}`);
      }
    }),
  );
});

test('names: a default name and a unique name are names, and a problem is said in a few words', () => {
  holds(
    fc.property(outsideText(['Work', ' ', 'webcal:', '://', 'calendar.google.com'], 8), fc.array(fc.constantFrom('Work', 'work 2', 'Google', 'x'), { maxLength: 4 }), (text, taken) => {
      const problem = nameProblem(text);
      if (problem) assertBoundedMessage(problem);
      assert.ok(defaultName(text).length <= MAX_NAME_LENGTH);
      const unique = uniqueName(text, taken);
      assert.ok(unique.length <= MAX_NAME_LENGTH && !taken.some((t) => t.toLowerCase() === unique.toLowerCase()), unique);
    }),
  );
});

const listText = fc.oneof(
  fc
    .array(fc.record({ id: fc.oneof(fc.stringMatching(/^[0-9a-f]{8,64}$/), fc.jsonValue()), name: fc.oneof(fc.constantFrom('Work', 'work', 'Home'), outsideText([], 4), fc.jsonValue()), host: fc.oneof(fc.domain(), bulky(fc.constant('h')), fc.jsonValue()) }, { requiredKeys: [] }), { maxLength: 8 })
    .map((calendars) => JSON.stringify({ v: 1, calendars })),
  fc.json(),
  outsideText(['{"v":1,"calendars":[', ']}', '{', '}', '"id":"0123abcd"', '"name":"Work"', '"host":"h"', ','], 10),
);

let n = 0;
test('the calendar list file: calendars with names and hosts, or none and a problem; a name not in it is a usage error in a line', async () => {
  const none = { get: async () => undefined, set: async () => undefined, delete: async () => undefined };
  await holdsAsync(
    fc.asyncProperty(listText, outsideText(['Work', 'Home'], 4), async (text, name) => {
      const dir = path.join(root, String(n++));
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'calendars-svc.json'), text);
      const list = new CalendarList(dir, 'svc', none);
      const status = await outcomeAsync(() => list.status());
      assert.ok(status.ok);
      for (const c of status.value.calendars) {
        assert.equal(nameProblem(c.name), undefined);
        assertBoundedMessage(calendarLabel(c), 'the label');
      }
      await outcomeAsync(() => list.find(name), ['usage']);
    }),
    runs(100),
  );
});

test('5 MB: a feed, a field, an address and a name, each within the bound', async (t) => {
  const event = ['BEGIN:VEVENT', 'UID:u', 'DTSTART:20261208T100000Z', 'DTEND:20261208T103000Z', 'SUMMARY:Standup', `LOCATION:${LINKS[0]}`, 'END:VEVENT'].join('\r\n');
  const events = Math.floor(FIVE_MB / (event.length + 2));
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', ...Array.from({ length: events }, (_, i) => event.replace('UID:u', `UID:u${i}`)), 'END:VCALENDAR'].join('\r\n');
  const parsed = await timed(t, `prepareFeed, ${events} events`, () => prepareFeed(text, { calendar: 'Big', localZone: 'UTC' }), 20_000);
  assert.ok(parsed.ok);
  await timed(t, 'meetings() of that feed', () => (parsed.ok ? parsed.feed.meetings(PINNED_NOW, []) : []));
  await timed(t, 'findZoomLink, a field at the limit', () => findZoomLink({ htmlDescription: '<a href="x'.repeat(MAX_FIELD_LENGTH / 10) }));
  await timed(t, 'stripHtml, 5 MB of unclosed tags', () => stripHtml('<a href="x'.repeat(FIVE_MB / 10)));
  await timed(t, 'refreshPeriodMs, 5 MB of calendar properties', () => refreshPeriodMs(`BEGIN:VCALENDAR\r\n${'X-A;B=C:D\r\n'.repeat(FIVE_MB / 11)}`));
  const refused = await timed(t, 'parseFeedAddress, a 5 MB scheme', () => parseFeedAddress(`${'a'.repeat(FIVE_MB)}://calendar.example/`));
  assert.ok(!refused.ok && refused.why.length <= 160, refused.ok ? '' : refused.why.slice(0, 100));
  await timed(t, 'nameProblem, 5 MB', () => nameProblem('n'.repeat(FIVE_MB)));
  const dir = path.join(root, 'big');
  mkdirSync(dir);
  const calendars = Array.from({ length: 3000 }, (_, i) => ({ id: `${i}`.padStart(16, 'a'), name: `Calendar number ${i}`, host: 'calendar.example' }));
  writeFileSync(path.join(dir, 'calendars-svc.json'), JSON.stringify({ v: 1, calendars }));
  const none = { get: async () => undefined, set: async () => undefined, delete: async () => undefined };
  const found = await timed(t, 'CalendarList.find among 3,000', () => outcomeAsync(() => new CalendarList(dir, 'svc', none).find('n'.repeat(FIVE_MB)), ['usage']));
  assert.ok(!found.ok && found.error.message.includes('and 2995 more'), found.ok ? '' : found.error.message.slice(0, 300));
});
