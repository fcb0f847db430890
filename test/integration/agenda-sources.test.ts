/**
 * Every source in one agenda, as `zoom-tray meetings` and `join next` see it: the simulator's Zoom
 * lists and a calendar served by the feed server, written around the real time (the simulator keeps
 * real time).
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { calendarListFor } from '../../main/calendars/calendar-list';
import { parseFeedAddress } from '../../main/calendars/feed-address';
import { startFeedServer } from '../harness/feed-server';
import { signedIn, signedOut, type World } from '../harness/fixtures';
import { cliWithoutLeaks } from '../harness/integration';
import type { SimMeeting } from '../zoom-sim/server';

const MIN = 60_000;
const at = (minutes: number): number => Math.ceil(Date.now() / MIN) * MIN + minutes * MIN;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ics = (ms: number): string => iso(ms).replace(/[-:]/g, '');

const DESIGN = at(90);
const VENDOR = at(30);
const ROADMAP = at(60);
const own: SimMeeting = { id: 81234567890, topic: 'Design review', type: 2, start_time: iso(DESIGN), duration: 45, timezone: 'UTC' };
const vendor: SimMeeting = { id: 87777777777, topic: 'Vendor call', type: 2, start_time: iso(VENDOR), duration: 30, timezone: 'UTC' };

/** A Google-style feed (UTC times, the link in LOCATION): the hosted meeting, the invitation, and a calendar-only one. */
function workCalendar(): string {
  const event = (uid: string, start: number, minutes: number, summary: string, link: string): string =>
    `BEGIN:VEVENT\r\nUID:${uid}@google.com\r\nDTSTAMP:${ics(Date.now())}\r\nDTSTART:${ics(start)}\r\nDTEND:${ics(start + minutes * MIN)}\r\nSUMMARY:${summary}\r\nLOCATION:${link}\r\nEND:VEVENT\r\n`;
  return (
    'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nX-WR-CALNAME:Work\r\n' +
    event('design', DESIGN, 45, 'Design review (calendar)', 'https://zoom.us/j/81234567890?pwd=cal') +
    event('vendor', VENDOR, 30, 'Vendor call', 'https://us06web.zoom.us/j/87777777777?pwd=cal') +
    event('roadmap', ROADMAP, 30, 'Roadmap', 'https://zoom.us/j/84444444444?pwd=road') +
    'END:VCALENDAR\r\n'
  );
}

/** The world with a calendar "Work" added (its address in the world's keychain until the world closes). */
async function withCalendar(t: TestContext, w: World) {
  const feeds = await startFeedServer(t);
  feeds.serve('work', workCalendar());
  const list = calendarListFor(w.keychain, w.dataDir, w.keychainService);
  const parsed = parseFeedAddress(feeds.address('work'));
  assert.ok(parsed.ok);
  await list.add(parsed.url, () => 'Work');
  const cli = async (args: readonly string[]) => {
    const result = await cliWithoutLeaks([w.sim], args, { ...w.env, ZOOM_TRAY_LOG: 'debug' });
    for (const secret of feeds.secrets()) assert.ok(!`${result.stdout}${result.stderr}`.includes(secret), 'a feed address shown');
    return result;
  };
  return { feeds, cli };
}

interface Row {
  id: string;
  topic: string;
  role: string;
  sources: string[];
  join_url?: string;
}

test('meetings: a hosted meeting that is also in a calendar is one line, host; an invitation Zoom and the calendar both know is one line, guest', async (t) => {
  const w = await signedIn(t, { sim: { meetings: [own], invitations: [vendor] } });
  const { cli } = await withCalendar(t, w);
  const result = await cli(['meetings', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const rows = JSON.parse(result.stdout) as Row[];
  assert.deepEqual(
    rows.map((r) => [r.id, r.topic, r.role, r.sources]),
    [
      ['87777777777', 'Vendor call', 'guest', ['zoom', 'calendar:Work']],
      ['84444444444', 'Roadmap', 'guest', ['calendar:Work']],
      ['81234567890', 'Design review', 'host', ['zoom', 'calendar:Work']],
    ],
  );
  assert.ok(rows.every((r) => new URL(r.join_url ?? '').protocol.startsWith('http')));
});

test("join next --print starts as host a calendar's occurrence of a meeting the user hosts, even one Zoom's lists do not show", async (t) => {
  // Zoom lists the recurring meeting's occurrence tomorrow; the calendar has today's.
  const w = await signedIn(t, { sim: { meetings: [{ ...own, type: 8, start_time: iso(at(20 + 24 * 60)) }] } });
  const feeds = await startFeedServer(t);
  const start = at(20);
  feeds.serve('work', `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:d@x\r\nDTSTAMP:${ics(Date.now())}\r\nDTSTART:${ics(start)}\r\nDTEND:${ics(start + 30 * MIN)}\r\nSUMMARY:Design\r\nLOCATION:https://zoom.us/j/81234567890\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`);
  const list = calendarListFor(w.keychain, w.dataDir, w.keychainService);
  const parsed = parseFeedAddress(feeds.address('work'));
  assert.ok(parsed.ok);
  await list.add(parsed.url, () => 'Work');
  const result = await cliWithoutLeaks([w.sim], ['join', 'next', '--print'], w.env);
  assert.equal(result.code, 0, result.stderr);
  const url = new URL(result.stdout.trim());
  assert.equal(url.origin + url.pathname, `${w.sim.origin}/s/81234567890`);
  assert.equal((await fetch(url)).status, 200);
});

test('meetings with a calendar that answers 404 exits 0 with everything else and names the calendar on stderr', async (t) => {
  const w = await signedIn(t, { sim: { meetings: [own], invitations: [vendor] } });
  const { feeds, cli } = await withCalendar(t, w);
  feeds.mode('work', 'gone');
  const result = await cli(['meetings', '--json']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual((JSON.parse(result.stdout) as Row[]).map((r) => r.id), ['87777777777', '81234567890']);
  assert.match(result.stderr, /Work.*no longer works/);
});

test('signed out of Zoom, meetings and join next answer from the calendars alone', async (t) => {
  const w = await signedOut(t);
  const { cli } = await withCalendar(t, w);
  const listed = await cli(['meetings', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual((JSON.parse(listed.stdout) as Row[]).map((r) => [r.id, r.role]), [
    ['87777777777', 'guest'],
    ['84444444444', 'guest'],
    ['81234567890', 'guest'],
  ]);
  const next = await cli(['join', 'next', '--print']);
  assert.equal(next.code, 0, next.stderr);
  assert.equal(next.stdout.trim(), 'https://us06web.zoom.us/j/87777777777?pwd=cal');
});

test('a calendar that never answers holds meetings no longer than a stalled Zoom would (15 s), then the rest is listed', async (t) => {
  const w = await signedIn(t, { sim: { meetings: [own] } });
  const { feeds, cli } = await withCalendar(t, w);
  feeds.mode('work', 'stall');
  const started = performance.now();
  const result = await cli(['meetings', '--json']);
  const took = performance.now() - started;
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual((JSON.parse(result.stdout) as Row[]).map((r) => r.id), ['81234567890']);
  assert.match(result.stderr, /Work.*did not answer within 15 seconds/);
  assert.ok(took < 28_000, `took ${Math.round(took)} ms: the 30-second wait of the tray's reads`);
});
