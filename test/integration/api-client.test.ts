import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Core } from '../../main/core/core';
import { ZoomTrayError } from '../../main/lib/errors';
import { ZoomApi } from '../../main/zoom/api-client';
import { signedIn } from '../harness/fixtures';
import type { SimFault } from '../zoom-sim/server';

function apiWithSleeps(core: Core, sleeps: number[]): ZoomApi {
  return new ZoomApi({ apiBase: core.config.apiBase, http: core.http, tokens: core.session, sleep: async (ms) => void sleeps.push(ms) });
}

const zoomError = (pattern: RegExp, check: (e: ZoomTrayError) => boolean = () => true) => (e: unknown) =>
  e instanceof ZoomTrayError && e.exitCode === 4 && pattern.test(e.message) && check(e);

const sevenMeetings = Array.from({ length: 7 }, (_, i) => ({
  id: 81000000000 + i,
  topic: `Meeting ${i}`,
  type: 2 as const,
  start_time: new Date(Date.now() + (i + 1) * 3_600_000).toISOString(),
  duration: 30,
  timezone: 'UTC',
}));

test('429 with Retry-After is waited out and retried', async (t) => {
  const w = await signedIn(t);
  const sleeps: number[] = [];
  w.sim.faults.rateLimit = { count: 2, retryAfter: 1 };
  assert.equal((await apiWithSleeps(await w.core(), sleeps).me()).email, w.sim.user.email);
  assert.deepEqual(sleeps, [1000, 1000]);
});

test('429 without Retry-After backs off, then gives a clear rate-limit error', async (t) => {
  const w = await signedIn(t);
  const sleeps: number[] = [];
  w.sim.faults.rateLimit = { count: 5 };
  await assert.rejects(apiWithSleeps(await w.core(), sleeps).me(), zoomError(/rate limit.*Try again in a few seconds/, (e) => e.details.rateLimited !== undefined));
  assert.deepEqual(sleeps, [1000, 2000]);
});

test('a Retry-After longer than the cap fails at once and says when to retry', async (t) => {
  const w = await signedIn(t);
  const sleeps: number[] = [];
  w.sim.faults.rateLimit = { count: 1, retryAfter: 120 };
  await assert.rejects(apiWithSleeps(await w.core(), sleeps).me(), zoomError(/Try again in 120 seconds/, (e) => e.details.rateLimited?.retryAfterSeconds === 120));
  assert.deepEqual(sleeps, []);
});

test("404 code 1001 shows Zoom's own message", async (t) => {
  const w = await signedIn(t);
  w.sim.faults.userDeleted = true;
  await assert.rejects((await w.core()).api.me(), zoomError(/User does not exist: jane\.doe@example\.com/, (e) => e.details.zoomCode === 1001));
});

test('a null ZAK (Google or Facebook sign-in) tells the user to sign in with email and password', async (t) => {
  const w = await signedIn(t, { sim: { user: { login: 'google' } } });
  await assert.rejects((await w.core()).api.zak(7200), zoomError(/Google or Facebook.*email and a password/, (e) => e.details.noZak === true));
});

test('upcoming meetings follow next_page_token across pages', async (t) => {
  const w = await signedIn(t, { sim: { meetings: sevenMeetings } });
  const meetings = await (await w.core()).api.hostedMeetings({ pageSize: 3 });
  assert.deepEqual(meetings.map((m) => m.topic), sevenMeetings.map((m) => m.topic));
  assert.equal(w.sim.stats.apiCalls['GET /v2/users/me/meetings'], 3);
});

test('every start target yields a URL whose ZAK really starts the meeting, with one ZAK fetched for all', async (t) => {
  const w = await signedIn(t, { sim: { meetings: sevenMeetings } });
  const core = await w.core();
  for (const target of [{ kind: 'pmi' }, { kind: 'next' }, { kind: 'instant' }, { kind: 'id', id: '81000000003' }] as const) {
    const res = await fetch((await core.start(target)).url);
    assert.equal(res.status, 200, `${target.kind}: ${await res.text()}`);
  }
  assert.deepEqual(w.sim.stats.started.slice(0, 2), ['5551234567', '81000000000']);
  assert.match(w.sim.stats.started[2] ?? '', /^8\d{10}$/, 'the instant meeting');
  assert.equal(w.sim.stats.started[3], '81000000003');
  assert.equal(w.sim.stats.apiCalls['GET /v2/users/me/token'], 1);
});

test('a ZAK killed by "sign me out from all devices" is replaced after clear()', async (t) => {
  const w = await signedIn(t);
  const core = await w.core();
  const first = await core.start({ kind: 'pmi' });
  w.sim.invalidateZaks();
  assert.equal((await fetch(first.url)).status, 401);
  core.zak.clear();
  assert.equal((await fetch((await core.start({ kind: 'pmi' })).url)).status, 200);
});

test('Zoom being unreachable is a network error naming the host, not the URL', async (t) => {
  const w = await signedIn(t);
  const offline = await w.core({ ...w.env, ZOOM_API_URL: 'http://127.0.0.1:9/v2' });
  await assert.rejects(offline.api.me(), (e: unknown) => e instanceof ZoomTrayError && e.exitCode === 6 && /127\.0\.0\.1:9: the connection was refused/.test(e.message));
});

test('a huge answer is refused before it fills memory; a garbled one is a clear Zoom error', async (t) => {
  const w = await signedIn(t);
  const core = await w.core();
  w.sim.faults.hugeBytes = 64 * 1024 * 1024;
  w.sim.faults.queue.push({ on: 'api', when: 'before', spoil: 'huge' } satisfies SimFault);
  const rss = process.memoryUsage().rss;
  await assert.rejects(core.api.me(), zoomError(/larger than 4 MB/));
  assert.ok(process.memoryUsage().rss - rss < 32 * 1024 * 1024, 'memory stayed bounded');
  w.sim.faults.queue.push({ on: 'api', when: 'before', spoil: 'garble' } satisfies SimFault);
  await assert.rejects(core.api.me(), zoomError(/unexpected answer to GET \/users\/me/));
  assert.equal((await core.api.me()).email, w.sim.user.email, 'the next call works');
});

test('a stalled answer ends in a network error that says how long was waited', async (t) => {
  const w = await signedIn(t);
  const core = await w.core(w.env, { httpTimeoutMs: 500 });
  w.sim.faults.queue.push({ on: 'api', when: 'before', spoil: 'stall' } satisfies SimFault);
  await assert.rejects(core.api.me(), (e: unknown) => e instanceof ZoomTrayError && e.kind === 'network' && /did not answer within 0\.5 seconds/.test(e.message));
});

test("a meeting's invitation and passcode, and the personal room's, come from Zoom as its host sees them", async (t) => {
  const w = await signedIn(t, { sim: { users: [{ email: 'bob@example.com' }] } });
  const { api } = await w.core();
  const invitation = await api.invitation('81234567890');
  assert.match(invitation, /^Jane Doe is inviting you to a scheduled Zoom meeting\.\r\n\r\nTopic: Design review\r\n/);
  assert.match(invitation, /\r\nMeeting ID: 812 3456 7890\r\nPasscode: p567890\r\n/);
  assert.equal(await api.passcode('81234567890'), 'p567890');
  assert.equal(await api.passcode(String(w.sim.user.pmi)), 'pmi-pass');
  assert.match(await api.invitation(String(w.sim.user.pmi)), /Topic: Jane Doe's Personal Meeting Room/);
  w.sim.meetings[0] = { ...w.sim.meetings[0]!, password: '' };
  assert.equal(await api.passcode('81234567890'), undefined, 'a meeting without a passcode');
  const bobs = String(w.sim.meetingsOf('bob@example.com')[0]?.id);
  await assert.rejects(api.invitation(bobs), zoomError(/Meeting does not exist/, (e) => e.details.zoomCode === 3001), "another user's meeting");
});

test('a scope the Zoom app lacks (400, code 4711) says which and what to do, and the sign-in stays', async (t) => {
  const w = await signedIn(t);
  const core = await w.core();
  w.sim.faults.missingScopes = ['meeting:read:invitation', 'meeting:read:meeting'];
  const refreshes = w.sim.stats.refreshes;
  await assert.rejects(
    core.api.invitation('81234567890'),
    zoomError(/^Your Zoom app lacks the scope for the meeting's invitation \(Invalid access token, does not contain scopes:\[meeting:read:invitation\]\.\)\. Add the scope/, (e) => e.details.zoomCode === 4711),
  );
  await assert.rejects(core.api.passcode('81234567890'), zoomError(/meeting:read:meeting/));
  assert.equal(w.sim.stats.refreshes, refreshes);
  assert.ok(await core.session.account(), 'still signed in');
});
