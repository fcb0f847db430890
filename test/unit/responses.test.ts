import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeError, redact, ZoomTrayError } from '../../main/errors';
import { nextMeeting, upcomingFrom } from '../../main/meetings/upcoming';
import { retryAfterSeconds } from '../../main/zoom/http';
import { meetingList, parseResponse, tokenResponse, user } from '../../main/zoom/schemas';

test('Zoom ids become digit strings without losing precision', () => {
  const list = parseResponse(meetingList, { meetings: [{ id: 89999999999, type: 2, topic: 't' }], next_page_token: '' }, 'x');
  assert.equal(list.meetings[0]?.id, '89999999999');
  assert.equal(parseResponse(user, { id: 'u', email: 'a@b', pmi: 5551234567 }, 'x').pmi, '5551234567');
});

test('an invalid response names the field, never its value', () => {
  const secretish = 'eyJhbGciOi.secret-value';
  assert.throws(
    () => parseResponse(tokenResponse, { access_token: secretish, refresh_token: 7, expires_in: 3599 }, 'the token request'),
    (err: unknown) => err instanceof ZoomTrayError && err.kind === 'zoom' && /refresh_token/.test(err.message) && !err.message.includes(secretish),
  );
  assert.throws(() => parseResponse(user, 'not json', 'GET /users/me'), /GET \/users\/me/);
});

test('redact masks tokens, ZAKs, codes and Authorization values', () => {
  const text = 'https://zoom.us/s/1?zak=abc.def&x=1 code=xyz Bearer eyJ0eXAi.abc Basic Zm9vOmJhcg== eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOjF9.sig';
  const out = redact(text);
  for (const secret of ['abc.def', 'xyz', 'eyJ0eXAi.abc', 'Zm9vOmJhcg==', 'eyJzdWIiOjF9']) assert.ok(!out.includes(secret), out);
  assert.match(out, /zak=\[redacted\]&x=1/);
  assert.match(describeError(new Error('failed with token=s3cr3t')), /token=\[redacted\]/);
});

test('Retry-After: seconds, HTTP dates, garbage', () => {
  assert.equal(retryAfterSeconds('7'), 7);
  assert.equal(retryAfterSeconds(['3']), 3);
  assert.equal(retryAfterSeconds(new Date(10_000).toUTCString(), 4_000), 6);
  assert.equal(retryAfterSeconds('soon'), undefined);
  assert.equal(retryAfterSeconds(undefined), undefined);
});

test('next meeting: under way or soonest; ended and untimed ones dropped', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const meetings = [
    { id: '1', topic: 'later', type: 2, start_time: '2026-11-23T15:00:00Z', duration: 30 },
    { id: '2', topic: 'ended', type: 2, start_time: '2026-11-23T10:00:00Z', duration: 60 },
    { id: '3', topic: 'running', type: 2, start_time: '2026-11-23T11:30:00Z', duration: 60 },
    { id: '4', topic: 'recurring, no time', type: 3 },
  ];
  assert.deepEqual(upcomingFrom(meetings, now).map((m) => m.id), ['3', '1']);
  assert.equal(nextMeeting(meetings, now)?.topic, 'running');
  assert.equal(nextMeeting([], now), undefined);
});
