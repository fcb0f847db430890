import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { Core } from '../../main/core/core';
import { ZoomTrayError } from '../../main/lib/errors';
import { refreshLockFile } from '../../main/session/accounts';
import { KeychainClient } from '../../main/session/keychain-client';
import { SESSION_ACCOUNT, START_CACHE_ACCOUNT } from '../../main/session/secret-store';
import { configFor, consentOverHttp, signedIn, signedOut } from '../harness/fixtures';
import type { SimFault } from '../zoom-sim/server';

const signedOutError = (pattern: RegExp) => (e: unknown) => e instanceof ZoomTrayError && e.kind === 'signed-out' && pattern.test(e.message);

test('sign-in stores the live refresh token in the keychain, with the Zoom e-mail inside', async (t) => {
  const w = await signedIn(t);
  const stored = await w.stored();
  assert.equal(stored?.account, w.sim.user.email);
  assert.deepEqual(w.sim.liveRefreshTokens(), [stored?.refreshToken]);
  // Windows Credential Manager holds 2560 bytes per credential; Zoom-length tokens must fit.
  assert.ok((stored?.accessToken.length ?? 0) > 600);
  assert.ok(Buffer.byteLength(JSON.stringify({ v: 2, ...stored })) < 2560);
});

test('an expired access token is refreshed once, the rotated refresh token saved, the call retried', async (t) => {
  const w = await signedIn(t);
  const before = await w.stored();
  w.sim.expireAccessTokens();
  assert.equal((await (await w.core()).api.me()).email, w.sim.user.email);
  assert.equal(w.sim.stats.refreshes, 1);
  const after = await w.stored();
  assert.notEqual(after?.refreshToken, before?.refreshToken);
  assert.deepEqual(w.sim.liveRefreshTokens(), [after?.refreshToken]);
});

test('two processes refreshing at once keep the session: the lock lets one refresh, the other adopts its result', async (t) => {
  const w = await signedIn(t);
  // Two cores share only the keychain and the data folder's lock file, as two processes do.
  const [a, b] = [await w.core(), await w.core()];
  w.sim.expireAccessTokens();
  const gate = w.sim.gateTokens();
  const calls = Promise.all([a.api.me(), b.api.me()]);
  // Both have been refused (401) and one refresh is held at Zoom: the other is now waiting for it.
  await gate.arrived(1);
  while (w.sim.stats.unauthorized < 2) await new Promise((resolve) => setImmediate(resolve));
  gate.open();
  await calls;
  assert.equal(w.sim.stats.refreshes, 1);
  assert.equal(w.sim.stats.rejectedRefreshes, 0);
});

test('a refresh Zoom fails twice (503) or that cannot reach Zoom keeps the refresh token for the next try', async (t) => {
  const w = await signedIn(t);
  const before = await w.stored();
  w.sim.expireAccessTokens();
  w.sim.faults.tokenServerErrors = 2;
  await assert.rejects((await w.core()).api.me(), (e: unknown) => e instanceof ZoomTrayError && e.kind === 'zoom' && /HTTP 503/.test(e.message));
  const offline = await w.core({ ...w.env, ZOOM_OAUTH_URL: 'http://127.0.0.1:9' });
  await assert.rejects(offline.api.me(), (e: unknown) => e instanceof ZoomTrayError && e.kind === 'network' && /refused/.test(e.message));
  assert.equal((await w.stored())?.refreshToken, before?.refreshToken);
  await (await w.core()).api.me();
  assert.equal(w.sim.stats.rejectedRefreshes, 0);
});

// echo: a 400 that is not Zoom's invalid_grant (invalid_request, here echoing the request), which
// may come after Zoom rotated the token as well as before.
for (const spoil of ['drop', 'garble', 'stall', 'echo'] as const) {
  test(`a refresh answer lost after Zoom rotated (${spoil}) says at once that a new sign-in is needed`, async (t) => {
    const w = await signedIn(t);
    w.sim.expireAccessTokens();
    w.sim.faults.queue.push({ on: 'token', when: 'after', spoil } satisfies SimFault);
    const core = await w.core(w.env, { httpTimeoutMs: 1000 });
    await assert.rejects(core.api.me(), signedOutError(/answer was lost.*zoom-tray login/));
    assert.equal(await w.stored(), undefined, 'the dead sign-in is gone from the keychain');
    await assert.rejects((await w.core()).api.me(), signedOutError(/not signed in/));
  });

  test(`a refresh answer lost before Zoom acted (${spoil}) is asked again and the session lives on`, async (t) => {
    const w = await signedIn(t);
    w.sim.expireAccessTokens();
    w.sim.faults.queue.push({ on: 'token', when: 'before', spoil } satisfies SimFault);
    const core = await w.core(w.env, { httpTimeoutMs: 1000 });
    assert.equal((await core.api.me()).email, w.sim.user.email);
    assert.deepEqual(w.sim.liveRefreshTokens(), [(await w.stored())?.refreshToken]);
  });
}

test('a refresh Zoom refuses with a 400 twice is asked twice, never more, and the sign-in is kept for the next try', async (t) => {
  const w = await signedIn(t);
  const before = await w.stored();
  w.sim.expireAccessTokens();
  w.sim.faults.queue.push({ on: 'token', when: 'before', spoil: 'echo' }, { on: 'token', when: 'before', spoil: 'echo' }, { on: 'token', when: 'before', spoil: 'echo' });
  await assert.rejects((await w.core()).api.me(), (e: unknown) => e instanceof ZoomTrayError && e.kind === 'zoom' && /Zoom refused the refresh request/.test(e.message));
  assert.equal(w.sim.faults.queue.length, 1, 'two of the three refusals were used: asked twice');
  assert.equal((await w.stored())?.refreshToken, before?.refreshToken);
  w.sim.faults.queue.length = 0;
  assert.equal((await (await w.core()).api.me()).email, w.sim.user.email);
});

test('a grant the user revoked at Zoom (invalid_grant) is asked once: the sign-in ends at once', async (t) => {
  const w = await signedIn(t);
  w.sim.expireAccessTokens();
  w.sim.revokeGrants();
  await assert.rejects((await w.core()).api.me(), signedOutError(/Zoom ended this sign-in \(Invalid Token!\)/));
  assert.equal(w.sim.stats.refreshes, 1);
  assert.equal(await w.stored(), undefined);
});

test('a sign-in Zoom ended takes its kept ZAK with it: no live start key is left in the keychain', async (t) => {
  const w = await signedIn(t);
  const core = await w.core();
  await core.start({ kind: 'pmi' });
  await core.close(); // its start-cache write has settled
  assert.match((await w.keychain.get(w.keychainService, START_CACHE_ACCOUNT)) ?? '', /"zak":"/, 'the ZAK was kept');
  w.sim.expireAccessTokens();
  w.sim.revokeGrants();
  const ending = await w.core();
  await assert.rejects(ending.api.me(), signedOutError(/Zoom ended this sign-in/));
  await ending.close();
  assert.equal(await w.stored(), undefined);
  assert.ok((await w.keychain.get(w.keychainService, START_CACHE_ACCOUNT)) === undefined, 'no ZAK left in the keychain');
});

test('a process holding stale tokens in memory uses the keychain\'s latest', async (t) => {
  const w = await signedIn(t);
  const [a, b] = [await w.core(), await w.core()];
  await a.api.me();
  w.sim.expireAccessTokens();
  await b.api.me(); // b rotates; a still holds the old, now dead, refresh token in memory
  w.sim.expireAccessTokens();
  await a.api.me();
  assert.equal(w.sim.stats.refreshes, 2);
  assert.equal(w.sim.stats.rejectedRefreshes, 0);
});

test('a ZAK fetched before a sign-out is never kept after it: the sign-out leaves no start cache behind', async (t) => {
  const w = await signedIn(t);
  // Two cores share only the keychain and the data folder's lock file, as a `start` and a `logout` do.
  const starting = await w.core();
  // The step the race needs, made by hand: the start has its ZAK from Zoom but has not kept it yet.
  let fetched: () => void = () => undefined;
  let release: () => void = () => undefined;
  const inHand = new Promise<void>((resolve) => (fetched = resolve));
  const held = new Promise<void>((resolve) => (release = resolve));
  const zak = starting.api.zak.bind(starting.api);
  starting.api.zak = async (ttl) => {
    const answer = await zak(ttl);
    fetched();
    await held;
    return answer;
  };
  const start = starting.start({ kind: 'pmi' });
  const started = start.then(() => starting.close()); // and every start-cache write it began has settled
  /** The sign-out's keychain: the held start goes on, and is done, the moment the start cache is deleted. */
  class Stepped extends KeychainClient {
    override async delete(service: string, account: string): Promise<void> {
      await super.delete(service, account);
      if (account !== START_CACHE_ACCOUNT) return;
      release();
      await started;
    }
  }
  const keychain = new Stepped();
  t.after(() => keychain.close());
  const leaving = new Core(await configFor(w.env), keychain);
  await inHand;
  assert.equal((await leaving.signOut())?.account, w.sim.user.email);
  await leaving.close();
  assert.equal((await start).url.pathname, '/s/5551234567');
  assert.equal(typeof (await w.keychain.get(w.keychainService, START_CACHE_ACCOUNT)), 'undefined', 'no ZAK left in the keychain');
  assert.equal(await w.stored(), undefined);
});

test("every start-cache write is made under the account's lock, while its sign-in is stored", async (t) => {
  const w = await signedOut(t);
  const lockFile = refreshLockFile(w.dataDir, w.keychainService, SESSION_ACCOUNT);
  const seen: { locked: boolean; signedIn: boolean }[] = [];
  /** The keychain as the core uses it, noting at each start-cache write who holds the lock and whether the sign-in is there. */
  class Watched extends KeychainClient {
    override async set(service: string, account: string, secret: string): Promise<void> {
      if (account === START_CACHE_ACCOUNT) {
        const holder = await readFile(lockFile, 'utf8').then((text) => (JSON.parse(text) as { pid?: number }).pid, () => undefined);
        seen.push({ locked: holder === process.pid, signedIn: (await w.stored()) !== undefined });
      }
      return super.set(service, account, secret);
    }
  }
  const keychain = new Watched();
  t.after(() => keychain.close());
  const core = new Core(await configFor(w.env), keychain);
  await core.addAccount({ open: (url) => consentOverHttp(url) }); // keeps the PMI
  await core.start({ kind: 'pmi' }); // keeps the ZAK
  await core.close();
  assert.deepEqual(seen, [
    { locked: true, signedIn: true },
    { locked: true, signedIn: true },
  ]);
});
