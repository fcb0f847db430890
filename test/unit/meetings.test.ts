import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextMeeting, nextToStart, upcoming } from '../../main/meetings/meeting';
import { fromHostedList } from '../../main/meetings/zoom-meetings';
import { meetingList, parseResponse, validMeetings } from '../../main/zoom/schemas';
import { meeting } from '../harness/meetings';

// An answer of `GET /v2/users/me/meetings?type=upcoming` as Zoom's API reference documents it
// (developers.zoom.us/docs/api/meetings/#tag/meetings/GET/users/{userId}/meetings): a recurring
// meeting with no fixed time (type 3) has no start_time; duration may be absent.
const ZOOM_ANSWER = {
  page_size: 30,
  total_records: 4,
  next_page_token: '',
  meetings: [
    { uuid: 'aDYlohsHRtCd4ii1uC2+hA==', id: 81234567890, host_id: 'z8dfkgrRQ2KGJwzi', topic: 'Design review', type: 2, start_time: '2026-11-23T14:00:00Z', duration: 45, timezone: 'Europe/Berlin', created_at: '2026-11-01T09:00:00Z', join_url: 'https://zoom.us/j/81234567890?pwd=abc' },
    { uuid: 'bDYlohsHRtCd4ii1uC2+hA==', id: 82345678901, host_id: 'z8dfkgrRQ2KGJwzi', topic: '', type: 8, start_time: '2026-11-24T09:30:00Z', timezone: 'Europe/Berlin', created_at: '2026-11-01T09:00:00Z', join_url: 'https://zoom.us/j/82345678901' },
    { uuid: 'cDYlohsHRtCd4ii1uC2+hA==', id: 83456789012, host_id: 'z8dfkgrRQ2KGJwzi', topic: 'Open office', type: 3, timezone: 'Europe/Berlin', created_at: '2026-11-01T09:00:00Z', join_url: 'https://zoom.us/j/83456789012' },
    { uuid: 'dDYlohsHRtCd4ii1uC2+hA==', id: 84567890123, host_id: 'z8dfkgrRQ2KGJwzi', topic: 'Garbled', type: 2, start_time: 'not a time', duration: 30, timezone: 'Europe/Berlin', created_at: '2026-11-01T09:00:00Z' },
  ],
};

test("Zoom's hosted list becomes the app's meetings: each starts as host with its account; untimed ones are left out", () => {
  const jane = { email: 'jane@example.com', cloud: 'commercial' } as const;
  const list = validMeetings(parseResponse(meetingList, ZOOM_ANSWER, 'GET /users/me/meetings').meetings).meetings;
  assert.deepEqual(fromHostedList(list, jane, { webBase: new URL('https://zoom.us'), origins: [] }), [
    { id: '81234567890', topic: 'Design review', start: new Date('2026-11-23T14:00:00Z'), durationMinutes: 45, account: jane, sources: ['zoom'], action: { kind: 'start' }, joinUrl: 'https://zoom.us/j/81234567890?pwd=abc' },
    { id: '82345678901', topic: 'Zoom meeting', start: new Date('2026-11-24T09:30:00Z'), durationMinutes: 60, account: jane, sources: ['zoom'], action: { kind: 'start' }, joinUrl: 'https://zoom.us/j/82345678901' },
  ]);
});

test("a hosted meeting's join link off Zoom's hosts is never kept: the plain link on the web base stands in", () => {
  const [m] = fromHostedList(validMeetings([{ ...ZOOM_ANSWER.meetings[0], join_url: 'https://zoom.us@evil.example/j/81234567890' }]).meetings, undefined, { webBase: new URL('https://zoom.us'), origins: [] });
  assert.equal(m?.joinUrl, 'https://zoom.us/j/81234567890');
});

test('upcoming: ended meetings dropped, soonest first; next is the one under way or the soonest', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const meetings = [
    meeting({ id: '1', topic: 'later', start: '2026-11-23T15:00:00Z', duration: 30 }),
    meeting({ id: '2', topic: 'ended', start: '2026-11-23T10:00:00Z', duration: 60 }),
    meeting({ id: '3', topic: 'running', start: '2026-11-23T11:30:00Z', duration: 60 }),
  ];
  assert.deepEqual(upcoming(meetings, now).map((m) => m.id), ['3', '1']);
  assert.equal(nextMeeting(meetings, now)?.topic, 'running');
  assert.equal(nextMeeting([], now), undefined);
});

test('the next meeting to start as host skips meetings that are only joined', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const meetings = [
    meeting({ id: '1', topic: 'theirs', start: '2026-11-23T12:30:00Z', join: 'https://zoom.us/j/1' }),
    meeting({ id: '2', topic: 'mine', start: '2026-11-23T13:00:00Z' }),
  ];
  assert.equal(nextMeeting(meetings, now)?.id, '1');
  assert.equal(nextToStart(meetings, now)?.id, '2');
});
