import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../main/config';
import { Core } from '../../main/core';
import { ZoomTrayError } from '../../main/errors';
import { keytarStore } from '../../main/session/secret-store';
import { ZoomApi } from '../../main/zoom/api-client';
import { consentOverHttp, type World, world } from '../harness/fixtures';

let w: World;
let core: Core;

function apiWithSleeps(sleeps: number[]): ZoomApi {
  return new ZoomApi({ apiBase: core.config.apiBase, http: core.http, tokens: core.session, sleep: async (ms) => void sleeps.push(ms) });
}

const zoomError = (pattern: RegExp, check: (e: ZoomTrayError) => boolean = () => true) => (e: unknown) =>
  e instanceof ZoomTrayError && e.exitCode === 4 && pattern.test(e.message) && check(e);

before(async () => {
  const meetings = Array.from({ length: 7 }, (_, i) => ({
    id: 81000000000 + i,
    topic: `Meeting ${i}`,
    type: 2 as const,
    start_time: new Date(Date.now() + (i + 1) * 3_600_000).toISOString(),
    duration: 30,
    timezone: 'UTC',
  }));
  w = await world({ sim: { meetings } });
  core = new Core(loadConfig(w.env));
  await core.signIn({ open: (url) => consentOverHttp(url) });
});
after(async () => {
  await core.close();
  await keytarStore(w.keychainService).delete(w.sim.user.email);
  await w.close();
});

test('429 with Retry-After is waited out and retried', async () => {
  const sleeps: number[] = [];
  w.sim.faults.rateLimit = { count: 2, retryAfter: 1 };
  assert.equal((await apiWithSleeps(sleeps).me()).email, w.sim.user.email);
  assert.deepEqual(sleeps, [1000, 1000]);
});

test('429 without Retry-After backs off, then gives a clear rate-limit error', async () => {
  const sleeps: number[] = [];
  w.sim.faults.rateLimit = { count: 5 };
  await assert.rejects(apiWithSleeps(sleeps).me(), zoomError(/rate limit.*Try again in a few seconds/, (e) => e.details.rateLimited !== undefined));
  assert.deepEqual(sleeps, [1000, 2000]);
  w.sim.faults.rateLimit = { count: 0 };
});

test('a Retry-After longer than the cap fails at once and says when to retry', async () => {
  const sleeps: number[] = [];
  w.sim.faults.rateLimit = { count: 1, retryAfter: 120 };
  await assert.rejects(apiWithSleeps(sleeps).me(), zoomError(/Try again in 120 seconds/, (e) => e.details.rateLimited?.retryAfterSeconds === 120));
  assert.deepEqual(sleeps, []);
});

test("404 code 1001 shows Zoom's own message", async () => {
  w.sim.faults.userDeleted = true;
  try {
    await assert.rejects(core.api.me(), zoomError(/User does not exist: jane\.doe@example\.com/, (e) => e.details.zoomCode === 1001));
  } finally {
    w.sim.faults.userDeleted = false;
  }
});

test('a null ZAK (Google or Facebook sign-in) tells the user to sign in with email and password', async () => {
  w.sim.user.login = 'google';
  try {
    await assert.rejects(core.api.zak(7200), zoomError(/Google or Facebook.*email and a password/, (e) => e.details.noZak === true));
  } finally {
    w.sim.user.login = 'password';
  }
});

test('upcoming meetings follow next_page_token across pages', async () => {
  const before = w.sim.stats.apiCalls['GET /v2/users/me/meetings'] ?? 0;
  const meetings = await core.api.upcomingMeetings({ pageSize: 3 });
  assert.deepEqual(meetings.map((m) => m.topic), w.sim.meetings.map((m) => m.topic));
  assert.equal((w.sim.stats.apiCalls['GET /v2/users/me/meetings'] ?? 0) - before, 3);
});

test('every start target yields a URL whose ZAK really starts the meeting', async () => {
  core.zak.clear();
  const zakCalls = w.sim.stats.apiCalls['GET /v2/users/me/token'] ?? 0;
  for (const target of [{ kind: 'pmi' }, { kind: 'next' }, { kind: 'instant' }, { kind: 'id', id: '81000000003' }] as const) {
    const launch = await core.start(target);
    const res = await fetch(launch.url);
    assert.equal(res.status, 200, `${target.kind}: ${await res.text()}`);
  }
  assert.equal(w.sim.stats.started[0], String(w.sim.user.pmi));
  assert.equal(w.sim.stats.started[1], '81000000000');
  assert.equal((w.sim.stats.apiCalls['GET /v2/users/me/token'] ?? 0) - zakCalls, 1, 'the ZAK is fetched once and reused');
});

test('a ZAK killed by "sign me out from all devices" is replaced after clear()', async () => {
  const first = await core.start({ kind: 'pmi' });
  w.sim.invalidateZaks();
  assert.equal((await fetch(first.url)).status, 401);
  core.zak.clear();
  assert.equal((await fetch((await core.start({ kind: 'pmi' })).url)).status, 200);
});

test('Zoom being unreachable is a network error naming the host, not the URL', async () => {
  const offline = new Core(loadConfig({ ...w.env, ZOOM_API_URL: 'http://127.0.0.1:9/v2' }));
  try {
    await assert.rejects(offline.api.me(), (e: unknown) => e instanceof ZoomTrayError && e.exitCode === 6 && /127\.0\.0\.1:9: the connection was refused/.test(e.message));
  } finally {
    await offline.close();
  }
});
