import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { OAuthClient, type TokenSet } from '../../main/auth/oauth-client';
import { loadConfig } from '../../main/config';
import { Core } from '../../main/core';
import { ZoomTrayError } from '../../main/errors';
import { keytarStore } from '../../main/session/secret-store';
import { Session } from '../../main/session/session';
import { createHttpClient } from '../../main/zoom/http';
import { consentOverHttp, type World, world } from '../harness/fixtures';

let w: World;
const cores: Core[] = [];

function core(env = w.env): Core {
  const c = new Core(loadConfig(env));
  cores.push(c);
  return c;
}

async function stored(): Promise<{ account: string; refreshToken: string; accessToken: string }[]> {
  const entries = await keytarStore(w.keychainService).list();
  return entries.map((e) => ({ account: e.account, ...(JSON.parse(e.secret) as { refreshToken: string; accessToken: string }) }));
}

before(async () => {
  w = await world();
});
after(async () => {
  await Promise.all(cores.map((c) => c.close()));
  await keytarStore(w.keychainService).delete(w.sim.user.email);
  await w.close();
});
beforeEach(async () => {
  await core().signIn({ open: (url) => consentOverHttp(url) });
  w.sim.stats.refreshes = 0;
  w.sim.stats.rejectedRefreshes = 0;
});

test('sign-in stores the live refresh token in the keychain under the Zoom email, and nothing else', async () => {
  const entries = await stored();
  assert.equal(entries.length, 1);
  assert.equal(entries[0]?.account, w.sim.user.email);
  assert.ok(w.sim.liveRefreshTokens().includes(entries[0]?.refreshToken ?? ''));
});

test('an expired access token is refreshed once, the rotated refresh token saved, the call retried', async () => {
  const c = core();
  const before = (await stored())[0];
  w.sim.expireAccessTokens();
  const user = await c.api.me();
  assert.equal(user.email, w.sim.user.email);
  assert.equal(w.sim.stats.refreshes, 1);
  const afterRefresh = (await stored())[0];
  assert.notEqual(afterRefresh?.refreshToken, before?.refreshToken);
  assert.deepEqual(w.sim.liveRefreshTokens().filter((t) => t === afterRefresh?.refreshToken).length, 1);
});

test('concurrent calls in one process share one refresh', async () => {
  const c = core();
  await c.api.me();
  w.sim.expireAccessTokens();
  w.sim.faults.tokenDelayMs = 100;
  try {
    const users = await Promise.all(Array.from({ length: 5 }, () => c.api.me()));
    assert.equal(users.length, 5);
    assert.equal(w.sim.stats.refreshes, 1);
  } finally {
    w.sim.faults.tokenDelayMs = 0;
  }
});

test('two processes refreshing at once keep the session: one refresh, both succeed', async () => {
  const [a, b] = [core(), core()];
  await Promise.all([a.api.me(), b.api.me()]);
  w.sim.expireAccessTokens();
  w.sim.faults.tokenDelayMs = 150;
  try {
    await Promise.all([a.api.me(), b.api.me(), a.api.me(), b.api.me()]);
  } finally {
    w.sim.faults.tokenDelayMs = 0;
  }
  assert.equal(w.sim.stats.refreshes, 1);
  assert.equal(w.sim.stats.rejectedRefreshes, 0);
  assert.equal((await stored()).length, 1);
});

test('a refresh that fails for any reason but rejection keeps the refresh token', async () => {
  const before = (await stored())[0];
  w.sim.expireAccessTokens();
  w.sim.faults.tokenServerErrors = 1;
  await assert.rejects(core().api.me(), (e: unknown) => e instanceof ZoomTrayError && e.kind === 'zoom' && /HTTP 503/.test(e.message));
  assert.equal((await stored())[0]?.refreshToken, before?.refreshToken);

  const offline = core({ ...w.env, ZOOM_OAUTH_URL: 'http://127.0.0.1:9' });
  await assert.rejects(offline.api.me(), (e: unknown) => e instanceof ZoomTrayError && e.exitCode === 6);
  assert.equal((await stored())[0]?.refreshToken, before?.refreshToken);

  await core().api.me();
  assert.equal(w.sim.stats.rejectedRefreshes, 0);
});

test('a refresh token Zoom rejected is deleted, and the user is told to sign in again', async () => {
  const entry = (await stored())[0];
  // Another machine (or a lost response) rotated it without us: our copy is now dead.
  const http = createHttpClient();
  const config = loadConfig(w.env);
  await new OAuthClient({ ...config, http }).refresh(entry?.refreshToken ?? '');
  await http.close();
  w.sim.expireAccessTokens();
  await assert.rejects(core().api.me(), (e: unknown) => e instanceof ZoomTrayError && e.exitCode === 3 && /zoom-tray login/.test(e.message));
  assert.deepEqual(await stored(), []);
  await assert.rejects(core().api.me(), /not signed in/);
});

test('a process with stale tokens in memory uses the keychain\'s latest', async () => {
  const [a, b] = [core(), core()];
  await a.api.me();
  w.sim.expireAccessTokens();
  await b.api.me(); // b rotates; a still holds the old, now dead, refresh token in memory
  w.sim.expireAccessTokens();
  await a.api.me();
  assert.equal(w.sim.stats.refreshes, 2);
  assert.equal(w.sim.stats.rejectedRefreshes, 0);
});

test('after invalid_grant the keychain is re-read: a writer outside the lock does not end the session', async () => {
  const store = keytarStore(w.keychainService);
  const http = createHttpClient();
  const oauth = new OAuthClient({ ...loadConfig(w.env), http });
  let raced = false;
  let rotatedByOther: TokenSet | undefined;
  const session = new Session({
    store,
    lock: (fn) => fn(), // an older build that takes no lock
    refresh: async (refreshToken) => {
      if (!raced) {
        raced = true; // the other writer rotates first and saves its result
        rotatedByOther = await oauth.refresh(refreshToken);
        await store.set(w.sim.user.email, JSON.stringify({ v: 1, ...rotatedByOther }));
      }
      return oauth.refresh(refreshToken);
    },
  });
  try {
    const token = await session.renew((await stored())[0]?.accessToken ?? '');
    assert.equal(token, rotatedByOther?.accessToken);
    assert.equal(w.sim.stats.rejectedRefreshes, 1);
    assert.equal((await stored())[0]?.refreshToken, rotatedByOther?.refreshToken);
  } finally {
    await http.close();
  }
});

test('a lock left by a crashed process is broken', async () => {
  const lock = path.join(w.dataDir, `refresh-${w.keychainService}.lock`);
  await mkdir(w.dataDir, { recursive: true });
  await writeFile(lock, '999999\n');
  w.sim.expireAccessTokens();
  await core().api.me();
  assert.equal(w.sim.stats.refreshes, 1);
});

test('an unreadable keychain entry is reported and left in place for login to replace', async () => {
  await keytarStore(w.keychainService).set(w.sim.user.email, 'not json');
  await assert.rejects(core().api.me(), (e: unknown) => e instanceof ZoomTrayError && e.exitCode === 3 && /cannot be read/.test(e.message));
  assert.equal((await keytarStore(w.keychainService).list())[0]?.secret, 'not json');
});

test('a keychain that cannot load is exit 5 with the fix, never a plaintext fallback', async () => {
  const store = keytarStore('x', () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')));
  await assert.rejects(store.list(), (e: unknown) => e instanceof ZoomTrayError && e.exitCode === 5 && /libsecret/.test(e.message) && /gnome-keyring/.test(e.message));
});
