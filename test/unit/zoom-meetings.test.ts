import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZoomTrayError } from '../../main/lib/errors';
import { mergeZoomLists, ZoomMeetings } from '../../main/meetings/zoom-meetings';
import { meetingList, parseResponse, upcomingList, validMeetings, type ZoomMeeting } from '../../main/zoom/schemas';

const NOW = Date.parse('2026-12-07T08:00:00Z');
const jane = { email: 'jane@example.com', cloud: 'commercial' } as const;
const LINKS = { webBase: new URL('https://zoom.us'), origins: [] };

// `GET /v2/users/me/meetings?type=upcoming` as Zoom's API reference documents it
// (developers.zoom.us/docs/api/meetings/#tag/meetings/GET/users/{userId}/meetings).
const HOSTED_ANSWER = {
  page_size: 300,
  total_records: 2,
  next_page_token: '',
  meetings: [
    { uuid: 'aDYlohsHRtCd4ii1uC2+hA==', id: 81234567890, host_id: 'z8dfkgrRQ2KGJwzi', topic: 'Design review', type: 2, start_time: '2026-12-07T10:00:00Z', duration: 45, timezone: 'Europe/Berlin', created_at: '2026-11-01T09:00:00Z', join_url: 'https://zoom.us/j/81234567890' },
    { uuid: 'bDYlohsHRtCd4ii1uC2+hA==', id: 82345678901, host_id: 'z8dfkgrRQ2KGJwzi', topic: 'Standup', type: 8, start_time: '2026-12-07T09:00:00Z', duration: 15, timezone: 'Europe/Berlin', created_at: '2026-11-01T09:00:00Z', join_url: 'https://zoom.us/j/82345678901' },
  ],
};

// `GET /v2/users/me/upcoming_meetings` as the reference documents it ("the meetings that Zoom users
// schedule and the meetings they are invited to join", the next 24 hours; fields id, topic, type,
// start_time, duration, timezone, created_at, join_url — nothing says who hosts which). Mirror:
// developers.qodex.ai/zoom-public/zoom-meeting-api/users-userid-upcoming_meetings. The same meeting's
// uuid differs from the hosted list's.
const UPCOMING_ANSWER = {
  total_records: 4,
  meetings: [
    { uuid: 'xYz1ohsHRtCd4ii1uC2+hA==', id: 81234567890, topic: 'Design review', type: 2, start_time: '2026-12-07T10:00:00Z', duration: 45, timezone: 'Europe/Berlin', created_at: '2026-11-01T09:00:00Z', join_url: 'https://zoom.us/j/81234567890' },
    { uuid: 'xYz2ohsHRtCd4ii1uC2+hA==', id: 82345678901, topic: 'Standup', type: 8, start_time: '2026-12-08T09:00:00Z', duration: 15, timezone: 'Europe/Berlin', created_at: '2026-11-01T09:00:00Z', join_url: 'https://zoom.us/j/82345678901' },
    { uuid: 'xYz3ohsHRtCd4ii1uC2+hA==', id: 87777777777, topic: 'Vendor call', type: 2, start_time: '2026-12-07T11:00:00Z', duration: 30, timezone: 'America/New_York', created_at: '2026-11-20T09:00:00Z', join_url: 'https://us06web.zoom.us/j/87777777777?pwd=Tk9iYWJj' },
    { uuid: 'xYz4ohsHRtCd4ii1uC2+hA==', id: 88888888888, topic: 'Off-Zoom link', type: 2, start_time: '2026-12-07T12:00:00Z', duration: 30, timezone: 'UTC', created_at: '2026-11-20T09:00:00Z', join_url: 'https://zoom.us.evil.example/j/88888888888' },
  ],
};

const hosted = (): ZoomMeeting[] => validMeetings(parseResponse(meetingList, HOSTED_ANSWER, 'hosted').meetings).meetings;
const upcoming = (): ZoomMeeting[] => validMeetings(parseResponse(upcomingList, UPCOMING_ANSWER, 'upcoming').meetings).meetings;

test('the two lists as one: own meetings start as host, invited ones join by their link', () => {
  const merged = mergeZoomLists(hosted(), upcoming(), jane, LINKS);
  const summary = merged.map((m) => [m.id, m.start.toISOString(), m.action.kind, m.action.kind === 'join' ? m.action.url : '']);
  assert.deepEqual(summary, [
    ['81234567890', '2026-12-07T10:00:00.000Z', 'start', ''],
    ['82345678901', '2026-12-07T09:00:00.000Z', 'start', ''],
    ['82345678901', '2026-12-08T09:00:00.000Z', 'start', ''],
    ['87777777777', '2026-12-07T11:00:00.000Z', 'join', 'https://us06web.zoom.us/j/87777777777?pwd=Tk9iYWJj'],
    ['88888888888', '2026-12-07T12:00:00.000Z', 'join', 'https://zoom.us/j/88888888888'],
  ]);
  assert.ok(merged.every((m) => m.account === jane && m.sources.join() === 'zoom'));
});

test("a link off Zoom's hosts is never kept: the meeting's plain link on the web base stands in", () => {
  const m = mergeZoomLists([], upcoming(), jane, LINKS).find((x) => x.id === '88888888888');
  assert.equal(m?.joinUrl, 'https://zoom.us/j/88888888888');
});

test('the configured web base (the simulator) is a link Zoom may give', () => {
  const sim = { webBase: new URL('http://127.0.0.1:9999'), origins: ['http://127.0.0.1:9999'] };
  const item = { ...UPCOMING_ANSWER.meetings[2], join_url: 'http://127.0.0.1:9999/j/87777777777?pwd=x' };
  const [m] = mergeZoomLists([], validMeetings(parseResponse(upcomingList, { meetings: [item] }, 'x').meetings).meetings, jane, sim);
  assert.deepEqual(m?.action, { kind: 'join', url: 'http://127.0.0.1:9999/j/87777777777?pwd=x' });
});

/** Zoom's two lists, answering the fixtures and counting what is asked. */
function zoom(options: { upcomingFails?: Error } = {}) {
  const asked: string[] = [];
  const lists = { hosted: hosted(), upcoming: upcoming() };
  let now = NOW;
  const api = {
    hostedMeetings: async () => (asked.push('hosted'), lists.hosted),
    upcomingMeetings: async () => {
      asked.push('upcoming');
      if (options.upcomingFails) throw options.upcomingFails;
      return lists.upcoming;
    },
  };
  const source = new ZoomMeetings(api, jane, LINKS, () => now);
  return { source, asked, lists, later: (ms: number) => void (now += ms) };
}

test('the first answer asks both lists; an idle poll asks only the upcoming one', async () => {
  const z = zoom();
  await z.source.fetch();
  assert.deepEqual(z.asked.sort(), ['hosted', 'upcoming']);
  z.asked.length = 0;
  z.later(15 * 60_000);
  await z.source.fetch();
  assert.deepEqual(z.asked, ['upcoming']);
});

test('a meeting not seen before sends for the hosted list once: only it tells a new own meeting from an invitation', async () => {
  const z = zoom();
  await z.source.fetch();
  const scheduled = { ...z.lists.upcoming[2]!, id: '89999999999', topic: 'Just scheduled' };
  z.lists.upcoming = [...z.lists.upcoming, scheduled];
  z.lists.hosted = [...z.lists.hosted, scheduled];
  z.asked.length = 0;
  const meetings = await z.source.fetch();
  assert.deepEqual(z.asked, ['upcoming', 'hosted']);
  assert.equal(meetings.find((m) => m.id === '89999999999')?.action.kind, 'start');
  z.asked.length = 0;
  await z.source.fetch();
  assert.deepEqual(z.asked, ['upcoming'], 'seen now: not again');
});

test('the hosted list is asked again once it is three hours old, or for a fresh answer', async () => {
  const z = zoom();
  await z.source.fetch();
  z.asked.length = 0;
  z.later(3 * 60 * 60_000 - 1);
  await z.source.fetch();
  assert.deepEqual(z.asked, ['upcoming']);
  z.asked.length = 0;
  z.later(1);
  await z.source.fetch();
  assert.deepEqual(z.asked.sort(), ['hosted', 'upcoming']);
  z.asked.length = 0;
  await z.source.fetch({ fresh: true });
  assert.deepEqual(z.asked.sort(), ['hosted', 'upcoming']);
});

test('without the upcoming list\'s scope (400, code 4711) the hosted list is shown, and asked alone from then on', async () => {
  const z = zoom({ upcomingFails: new ZoomTrayError('zoom', 'Your Zoom app lacks the scope …', { zoomCode: 4711 }) });
  const meetings = await z.source.fetch();
  assert.equal(z.source.lacksScope, true);
  assert.deepEqual(meetings.map((m) => m.id), ['81234567890', '82345678901']);
  z.asked.length = 0;
  await z.source.fetch();
  assert.deepEqual(z.asked, ['hosted']);
});

test('any other failure of the upcoming list fails the answer (the last one stays where it is shown)', async () => {
  const z = zoom({ upcomingFails: new ZoomTrayError('network', 'Could not reach Zoom.') });
  await assert.rejects(z.source.fetch(), (e) => e instanceof ZoomTrayError && e.kind === 'network');
  assert.equal(z.source.lacksScope, false);
});

test("a topic is capped at 200 characters and keeps no secret the process knows (a Zoom that echoes tokens)", async () => {
  const { rememberSecret } = await import('../../main/lib/redact');
  rememberSecret('tok-3f9a7c2e5b1d');
  const long = { ...UPCOMING_ANSWER.meetings[2], topic: `${'x'.repeat(1_000_000)}` };
  const echo = { ...UPCOMING_ANSWER.meetings[3], topic: 'Sync tok-3f9a7c2e5b1d' };
  const [a, b] = mergeZoomLists([], validMeetings(parseResponse(upcomingList, { meetings: [long, echo] }, 'x').meetings).meetings, jane, LINKS);
  assert.equal([...(a?.topic ?? '')].length, 200);
  assert.equal(b?.topic, 'Sync [redacted]');
});

test("one item Zoom got wrong is left out, never the whole list: the account's other meetings stay", () => {
  const answer = { meetings: [UPCOMING_ANSWER.meetings[2], { ...UPCOMING_ANSWER.meetings[3], id: 'abc' }, { ...UPCOMING_ANSWER.meetings[3], id: 88888888889, join_url: null }, { id: 1e21, type: 2 }] };
  const { meetings, dropped } = validMeetings(parseResponse(upcomingList, answer, 'GET /users/me/upcoming_meetings').meetings);
  assert.deepEqual(meetings.map((m) => m.id), ['87777777777']);
  assert.equal(dropped, 3);
});
