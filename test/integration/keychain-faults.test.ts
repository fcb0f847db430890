import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Env } from '../../main/core/config';
import { type CliResult, runCli } from '../harness/cli-process';
import { signedIn, signedOut, type World } from '../harness/fixtures';
import { cliLogin } from '../harness/integration';
import { PrivateKeyring } from '../harness/private-keyring';

// A private D-Bus session and gnome-keyring: Linux only (macOS and Windows have no Secret Service).
const LINUX_ONLY = process.platform === 'linux' ? false : 'a private Secret Service needs Linux';

/** A world whose keychain is a private Secret Service the test controls, signed in through the CLI. */
async function signedInWith(t: TestContext): Promise<{ keyring: PrivateKeyring; env: Env; cli: (args: string[]) => Promise<CliResult> }> {
  const keyring = await PrivateKeyring.start();
  t.after(() => keyring.close());
  const w = await signedOut(t);
  const env = { ...w.env, ...keyring.env };
  const done = await cliLogin(env);
  assert.equal(done.code, 0, done.stderr);
  return { keyring, env, cli: (args) => runCli(args, env) };
}

/** The world's real session, written back the way zoom-tray 0.1 (keytar) kept it: account = e-mail, v1 JSON. */
async function keptAsKeytarDid(w: World, keyring: PrivateKeyring): Promise<void> {
  const stored = await w.stored();
  assert.ok(stored);
  const { account, refreshToken, accessToken, accessTokenExpiresAt } = stored;
  await keyring.storeLegacy(w.keychainService, account, JSON.stringify({ v: 1, refreshToken, accessToken, accessTokenExpiresAt }));
}

const noSignal = (r: CliResult): void => {
  assert.equal(r.timedOut, false, `hung: the harness killed it (${r.stderr})`);
  assert.notEqual(r.code, null, `killed by a signal: ${r.stderr}`);
};

test('a locked keyring whose unlock prompt cannot be shown: exit 5 that says to unlock, no crash, the sign-in kept', { skip: LINUX_ONLY }, async (t) => {
  const { keyring, cli } = await signedInWith(t);
  await keyring.lock();
  for (const args of [['whoami'], ['start', '--print'], ['logout']]) {
    const r = await cli(args);
    noSignal(r);
    assert.equal(r.code, 5, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^zoom-tray: The OS keychain is locked and was not unlocked \(.*\)\. Unlock it/);
  }
  await keyring.stopDaemon();
  await keyring.startDaemon(); // unlocked again, as at the next desktop login
  assert.equal((await cli(['whoami'])).code, 0, 'the sign-in survived');
});

test('a frozen Secret Service: exit 5 within seconds, not a hang; the sign-in works once it answers again', { skip: LINUX_ONLY }, async (t) => {
  const { keyring, cli } = await signedInWith(t);
  keyring.freeze();
  const started = Date.now();
  const r = await cli(['whoami']);
  const took = Date.now() - started;
  keyring.thaw();
  noSignal(r);
  assert.equal(r.code, 5, r.stderr);
  assert.match(r.stderr, /^zoom-tray: The OS keychain did not answer in time \(.*\)\. Try again/);
  assert.ok(took < 20_000, `answered in ${took} ms`);
  assert.equal((await cli(['whoami'])).code, 0);
});

test('logout while twelve other processes read the sign-in: nobody crashes, each says signed in or signed out', { skip: LINUX_ONLY }, async (t) => {
  const { cli } = await signedInWith(t);
  const readers = Array.from({ length: 12 }, (_, i) => cli(i % 2 ? ['whoami'] : ['start', '--print']));
  const logout = cli(['logout']);
  const results = [await logout, ...(await Promise.all(readers))];
  for (const r of results) noSignal(r);
  assert.equal(results[0]?.code, 0, results[0]?.stderr);
  const codes = new Set(results.slice(1).map((r) => r.code));
  for (const code of codes) assert.ok(code === 0 || code === 3, `unexpected exit ${code}: ${results.find((r) => r.code === code)?.stderr}`);
  assert.equal((await cli(['whoami'])).code, 3);
});

test("zoom-tray 0.1's keytar entries are moved over once: the sign-in and the client secret, then the old entries go", { skip: LINUX_ONLY }, async (t) => {
  const keyring = await PrivateKeyring.start();
  t.after(() => keyring.close());
  const w = await signedIn(t, { client: { clientSecret: 'the-client-secret' } });
  await keptAsKeytarDid(w, keyring);
  await keyring.storeLegacy(`${w.keychainService}-client-secret`, w.sim.clients[0]?.clientId ?? '', 'the-client-secret');
  const { ZOOM_CLIENT_SECRET: _none, ...env } = { ...w.env, ...keyring.env };

  w.sim.expireAccessTokens(); // the refresh needs the migrated client secret
  const r = await runCli(['whoami'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /jane\.doe@example\.com/);
  assert.deepEqual(await keyring.legacyEntries(w.keychainService), []);
  assert.deepEqual(await keyring.legacyEntries(`${w.keychainService}-client-secret`), []);
  assert.equal((await runCli(['whoami'], env)).code, 0, 'the moved sign-in keeps working');
});

test('the first run after the upgrade, eight commands at once: each finds the moved sign-in', { skip: LINUX_ONLY }, async (t) => {
  const keyring = await PrivateKeyring.start();
  t.after(() => keyring.close());
  const w = await signedIn(t);
  await keptAsKeytarDid(w, keyring);
  // Another process may move the sign-in while this one starts: a read asked for before the move would miss it.
  const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => runCli(i % 2 ? ['whoami'] : ['start', '--print'], { ...w.env, ...keyring.env })));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
});
