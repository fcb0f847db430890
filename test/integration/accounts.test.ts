import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Env } from '../../main/core/config';
import { Core } from '../../main/core/core';
import { isZoomTrayError, ZoomTrayError } from '../../main/lib/errors';
import { AccountIndex } from '../../main/session/accounts';
import type { SettingsView } from '../../main/shared/ipc-channels';
import type { AppDriver } from '../harness/app-driver';
import type { CliResult } from '../harness/cli-process';
import { consentOverHttp, signedOut, type World } from '../harness/fixtures';
import { bootApp, cliLogin, cliWithoutLeaks, openedUrl, openSettings, urlOpenedBy, zoomCalls } from '../harness/integration';
import { startZoomSim, type ZoomSim } from '../zoom-sim/server';

const BOB = 'bob.smith@example.com';
const CAROL = 'carol@agency.gov';

interface Clouds {
  readonly w: World;
  /** ZoomGov: a second simulator, with its own app and its own user. */
  readonly gov: ZoomSim;
  readonly env: Env;
}

/** Two commercial users (Jane, the first, and Bob) and a ZoomGov one (Carol, unless `govEmail` names another), nobody signed in yet. */
async function clouds(t: TestContext, govEmail = CAROL): Promise<Clouds> {
  const w = await signedOut(t, { sim: { users: [{ email: BOB, first_name: 'Bob', last_name: 'Smith', pmi: 5559876543 }] } });
  const gov = await startZoomSim({ clients: [{ clientId: 'gov-client', redirectUris: [w.redirectUri] }], user: { email: govEmail, first_name: 'Carol', last_name: 'Jones', pmi: 1601234567 } });
  t.after(() => gov.close());
  const env: Env = { ...w.env, ZOOM_GOV_CLIENT_ID: 'gov-client', ZOOM_GOV_REDIRECT_URI: w.redirectUri, ZOOM_GOV_OAUTH_URL: gov.oauthBase, ZOOM_GOV_API_URL: gov.apiBase };
  t.after(async () => {
    for (const entry of [`session:commercial:${BOB}`, `start-cache:commercial:${BOB}`, `session:gov:${CAROL}`, `start-cache:gov:${CAROL}`]) {
      await w.keychain.delete(w.keychainService, entry).catch(() => undefined);
    }
  });
  return { w, gov, env };
}

/** Jane (the default) and Bob and, with `gov`, Carol on ZoomGov, signed in through the CLI. */
async function signedInClouds(t: TestContext, options: { gov?: boolean } = {}): Promise<Clouds> {
  const c = await clouds(t);
  await login(c);
  c.w.sim.signInAs(BOB);
  await login(c);
  if (options.gov) await login(c, ['--cloud', 'gov']);
  return c;
}

/** Runs the CLI; nothing secret of either cloud may reach stderr, and stdout only the ZAK of a printed start URL. */
const cli = (c: Clouds, args: readonly string[]): Promise<CliResult> => cliWithoutLeaks([c.w.sim, c.gov], args, c.env);

/** `zoom-tray login` through the consent page (of the cloud `args` pick), as whoever that simulator has signed in. */
async function login(c: Clouds, args: readonly string[] = []): Promise<CliResult> {
  const done = await cliLogin(c.env, args);
  assert.equal(done.code, 0, done.stderr);
  return done;
}

/** Opens a start URL as the browser would: 200 only when its ZAK is the meeting's host's. */
async function startsAs(sim: ZoomSim, result: CliResult, email: string): Promise<URL> {
  assert.equal(result.code, 0, result.stderr);
  const url = new URL(result.stdout.trim());
  const page = await fetch(url);
  assert.equal(page.status, 200, `${url.pathname}: ${await page.text()}`);
  assert.equal(sim.stats.startedBy.at(-1)?.email, email);
  return url;
}

test('two Zoom accounts and a ZoomGov one: each starts its own meetings with its own ZAK; the default is the first', async (t) => {
  const c = await clouds(t);
  const { sim } = c.w;
  await login(c);
  sim.signInAs(BOB);
  const second = await login(c);
  assert.match(second.stderr, /The default account stays jane\.doe@example\.com; `zoom-tray accounts use bob\.smith@example\.com`/);
  await login(c, ['--cloud', 'gov']);

  await t.test('accounts lists the three, in the order they signed in, the first the default', async () => {
    const listed = await cli(c, ['accounts', '--json']);
    assert.deepEqual(JSON.parse(listed.stdout), [
      { email: 'jane.doe@example.com', cloud: 'commercial', default: true },
      { email: BOB, cloud: 'commercial', default: false },
      { email: CAROL, cloud: 'gov', default: false },
    ]);
    assert.equal((await cli(c, ['accounts'])).stdout, `jane.doe@example.com  Zoom  (default)\n${BOB}  Zoom\n${CAROL}  ZoomGov\n`);
  });

  await t.test("start uses the default, or the account named (in any case), with that account's ZAK on its own cloud", async () => {
    const jane = await startsAs(sim, await cli(c, ['start', '--print']), 'jane.doe@example.com');
    assert.equal(jane.pathname, '/s/5551234567');
    const bob = await startsAs(sim, await cli(c, ['start', '--print', '--account', BOB]), BOB);
    assert.equal(bob.pathname, '/s/5559876543');
    assert.notEqual(bob.searchParams.get('zak'), jane.searchParams.get('zak'));
    const bobsNext = sim.meetingsOf(BOB)[0];
    assert.ok(bobsNext);
    const next = await startsAs(sim, await cli(c, ['start', 'next', '--print', '--account', 'BOB.SMITH@example.com']), BOB);
    assert.equal(next.pathname, `/s/${bobsNext.id}`);
    const carol = await startsAs(c.gov, await cli(c, ['start', '--print', '--account', CAROL]), CAROL);
    assert.equal(carol.origin + carol.pathname, `${c.gov.origin}/s/1601234567`, "on the account's own cloud");
  });

  await t.test('whoami of the ZoomGov account says it is on ZoomGov', async () => {
    const who = await cli(c, ['whoami', '--account', CAROL]);
    assert.match(who.stdout, /^Carol Jones <carol@agency\.gov>  \(personal meeting ID 1601234567\)  on ZoomGov\n$/);
  });

  await t.test('an account not signed in is a usage error that lists those signed in, with no request; --cloud alone names none', async () => {
    const before = zoomCalls(sim, c.gov);
    const unknown = await cli(c, ['start', '--print', '--account', 'mallory@example.com']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /mallory@example\.com is not signed in to zoom-tray \(signed in: jane\.doe@example\.com, bob\.smith@example\.com, carol@agency\.gov \(ZoomGov\)\)/);
    assert.equal(zoomCalls(sim, c.gov), before, 'no request for an unknown account');
    assert.equal((await cli(c, ['whoami', '--cloud', 'gov'])).code, 2, '--cloud alone names no account');
  });
});

test("meetings lists every account's meetings, each naming its account; --account one account's", async (t) => {
  const c = await signedInClouds(t);
  const { sim } = c.w;
  const all = await cli(c, ['meetings', '--json']);
  assert.equal(all.code, 0, all.stderr);
  const rows = JSON.parse(all.stdout) as { id: string; account: string; cloud: string }[];
  const ids = (email: string): string[] => rows.filter((r) => r.account === email).map((r) => r.id).sort();
  assert.deepEqual(ids('jane.doe@example.com'), sim.meetingsOf('jane.doe@example.com').map((m) => String(m.id)).sort());
  assert.deepEqual(ids(BOB), sim.meetingsOf(BOB).map((m) => String(m.id)).sort());
  const text = await cli(c, ['meetings']);
  for (const m of sim.meetingsOf(BOB)) assert.match(text.stdout, new RegExp(`${m.id}  .*\\[${BOB.replace(/\./g, '\\.')}\\]\\n`));
  const bobs = JSON.parse((await cli(c, ['meetings', '--json', '--account', BOB])).stdout) as { account: string }[];
  assert.deepEqual([...new Set(bobs.map((r) => r.account))], [BOB]);
});

test('signing one account out leaves the others working; the default moves; `accounts use` picks it', async (t) => {
  const c = await signedInClouds(t);
  const { sim } = c.w;
  const used = await cli(c, ['accounts', 'use', BOB]);
  assert.equal(used.code, 0, used.stderr);
  await startsAs(sim, await cli(c, ['start', '--print']), BOB);

  const janesToken = sim.liveRefreshTokens('jane.doe@example.com');
  assert.equal(janesToken.length, 1);
  const out = await cli(c, ['logout', '--account', 'jane.doe@example.com']);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(sim.liveRefreshTokens('jane.doe@example.com'), [], "jane's grant was revoked");
  assert.equal(sim.liveRefreshTokens(BOB).length, 1, "bob's was not touched");
  assert.equal(await c.w.stored(), undefined, "jane's keychain entry is gone");
  assert.deepEqual(JSON.parse((await cli(c, ['accounts', '--json'])).stdout), [{ email: BOB, cloud: 'commercial', default: true }]);
  sim.expireAccessTokens(BOB);
  await startsAs(sim, await cli(c, ['start', '--print']), BOB);
  const list = JSON.parse(await readFile(path.join(c.w.dataDir, `accounts-${c.w.keychainService}.json`), 'utf8')) as { accounts: unknown[] };
  assert.equal(list.accounts.length, 1);
});

/** The tray app (the real bundle under the Electron double) on the same clouds; quits when the test ends. */
const tray = (t: TestContext, c: Clouds): AppDriver => bootApp(t, c.env);

/** The `count`th URL the app opened, as a URL. */
const openedAt = async (app: AppDriver, count: number): Promise<URL> => new URL(await openedUrl(app, count));

const JANE_HEADING = 'Jane Doe (jane.doe@example.com)';
const BOB_HEADING = `Bob Smith (${BOB})`;
const CAROL_HEADING = `Carol Jones (${CAROL}) · ZoomGov`;

test('the tray with two Zoom accounts and a ZoomGov one: menu, clicks, copies and settings each go by account', async (t) => {
  const c = await signedInClouds(t, { gov: true });
  const { sim } = c.w;
  const app = tray(t, c);
  const bobsMeeting = sim.meetingsOf(BOB)[0];
  assert.ok(bobsMeeting);
  await app.untilMenuHas(new RegExp(`${bobsMeeting.topic}  · ${BOB}$`));
  await app.untilMenuHas(/Design review$/);
  await app.until('prefetched ZAKs', async () => (sim.stats.apiCalls['GET /v2/users/me/token'] ?? 0) >= 2 && (c.gov.stats.apiCalls['GET /v2/users/me/token'] ?? 0) >= 1);

  await t.test("the menu lists every account's meetings together, each naming the account it starts with; then each other account, the default first", async () => {
    const labels = await app.labels();
    const headings = [JANE_HEADING, BOB_HEADING, CAROL_HEADING].map((h) => labels.indexOf(h));
    assert.ok(headings.every((at, i) => at >= 0 && (i === 0 || at > (headings[i - 1] ?? 0))), `grouped in order: ${JSON.stringify(labels)}`);
    const bobs = labels.findIndex((l) => l.startsWith('Start · ') && l.endsWith(`${bobsMeeting.topic}  · ${BOB}`));
    assert.ok(bobs > labels.indexOf('Upcoming') && bobs < headings[1]!, `Bob's meeting in the one Upcoming list: ${JSON.stringify(labels)}`);
  });

  await t.test("each click starts that account's meeting with its own ZAK, and no request; the shortcut the default's", async () => {
    const before = zoomCalls(sim, c.gov);
    const opens = async (act: () => Promise<unknown>): Promise<URL> => new URL(await urlOpenedBy(app, act));
    const bobsRoom = await opens(() => app.click('Start my personal meeting room', BOB_HEADING));
    const bobsNext = await opens(async () => app.click(await app.untilMenuHas(new RegExp(`${bobsMeeting.topic}  · ${BOB}$`))));
    const carolsRoom = await opens(() => app.click('Start my personal meeting room', CAROL_HEADING));
    const janesRoom = await opens(async () => assert.equal(await app.shortcut('CommandOrControl+Alt+Shift+Z'), true));
    assert.equal(zoomCalls(sim, c.gov), before, 'every click came from the caches');

    assert.equal(bobsRoom.pathname, '/s/5559876543');
    assert.equal(bobsNext.pathname, `/s/${bobsMeeting.id}`);
    assert.equal(carolsRoom.origin + carolsRoom.pathname, `${c.gov.origin}/s/1601234567`);
    assert.equal(janesRoom.pathname, '/s/5551234567', 'the shortcut starts the default account');
    for (const [url, host, email] of [[bobsRoom, sim, BOB], [bobsNext, sim, BOB], [carolsRoom, c.gov, CAROL], [janesRoom, sim, 'jane.doe@example.com']] as const) {
      assert.equal((await fetch(url)).status, 200, `${url.pathname} starts with its own account's ZAK`);
      assert.equal(host.stats.startedBy.at(-1)?.email, email);
    }
  });

  await t.test("copying asks Zoom as the account whose room or meeting it is (Zoom answers 404 to anyone else)", async () => {
    await app.clickIn('Copy meeting ID and passcode', `Personal meeting room · ${BOB}`);
    await app.until("bob's room copied", async () => (await app.snapshot()).clipboard === 'Meeting ID: 555 987 6543\nPasscode: pmi-pass-2');
    await app.clickIn('Copy invitation', `Personal meeting room · ${CAROL}`);
    await app.until("carol's invitation copied", async () => /^Carol Jones is inviting you to a Zoom meeting\.\r\n\r\nTopic: Carol Jones's Personal Meeting Room\r\n/.test((await app.snapshot()).clipboard));
  });

  await t.test('the settings window lists every account and both clouds', async () => {
    await openSettings(app);
    const view = await app.ipc<SettingsView>('settings:get', null);
    assert.deepEqual(view.accounts, [
      { email: 'jane.doe@example.com', cloud: 'commercial', default: true },
      { email: BOB, cloud: 'commercial', default: false },
      { email: CAROL, cloud: 'gov', default: false },
    ]);
    assert.deepEqual(view.clouds, ['commercial', 'gov']);
  });
});

test('from Settings: signing one account out leaves the others; "Make default" moves the shortcut and the top of the menu', async (t) => {
  const c = await signedInClouds(t, { gov: true });
  const { sim } = c.w;
  const app = tray(t, c);
  await app.untilMenuHas(BOB_HEADING);
  await app.untilMenuHas(CAROL_HEADING);
  await openSettings(app);

  await app.ipc('auth:sign-out', { email: BOB, cloud: 'commercial' });
  await app.until('bob gone from the menu', async () => !(await app.labels()).includes(BOB_HEADING));
  assert.deepEqual(sim.liveRefreshTokens(BOB), [], "bob's grant was revoked");
  assert.equal(sim.liveRefreshTokens('jane.doe@example.com').length, 1);
  assert.deepEqual(JSON.parse((await cli(c, ['accounts', '--json'])).stdout).map((a: { email: string }) => a.email), ['jane.doe@example.com', CAROL], 'the CLI sees it too');
  await app.click('Start my personal meeting room');
  assert.equal((await openedAt(app, 1)).pathname, '/s/5551234567');

  await app.ipc('accounts:make-default', { email: CAROL, cloud: 'gov' });
  await app.until('carol first', async () => (await app.labels()).find((l) => l.includes('(')) === 'Carol Jones (carol@agency.gov)');
  assert.equal(await app.shortcut('CommandOrControl+Alt+Shift+Z'), true);
  const carols = await openedAt(app, 2);
  assert.equal(carols.origin + carols.pathname, `${c.gov.origin}/s/1601234567`);
  assert.equal((await fetch(carols)).status, 200);
  assert.equal((await app.ipc<SettingsView>('settings:get', null)).accounts[0]?.email, CAROL);
});

test("an entry freed by one account and taken by the next never serves the first: the tray follows the CLI's sign-out and sign-in", async (t) => {
  const c = await clouds(t);
  const { sim } = c.w;
  await login(c);
  const app = tray(t, c);
  await app.untilMenuHas(JANE_HEADING);
  await app.until('prefetched ZAK', async () => (sim.stats.apiCalls['GET /v2/users/me/token'] ?? 0) >= 1);
  assert.equal((await cli(c, ['logout'])).code, 0);
  sim.signInAs(BOB);
  await login(c); // the list was empty: Bob gets the entry Jane had
  const janesGrants = sim.liveRefreshTokens('jane.doe@example.com').length;

  // A click on Jane's room, from the menu still on screen, must not start anything as Jane or as Bob.
  await app.click('Start my personal meeting room');
  assert.equal(await app.shortcut('CommandOrControl+Alt+Shift+Z'), true);
  const opened = await openedAt(app, 1);
  assert.equal(opened.pathname, '/s/5559876543', "the default is now Bob's, started with his ZAK");
  assert.equal((await fetch(opened)).status, 200);
  assert.equal(sim.stats.startedBy.at(-1)?.email, BOB);
  assert.equal((await app.snapshot()).opened.length, 1, "Jane's click opened nothing");
  assert.equal(sim.liveRefreshTokens(BOB).length, 1);
  assert.equal(janesGrants, 0);
  await app.untilMenuHas(BOB_HEADING);
});

test('a ZoomGov account signed in first never takes the entry a lost account list is rebuilt from', async (t) => {
  const c = await clouds(t);
  await login(c, ['--cloud', 'gov']);
  await rm(path.join(c.w.dataDir, `accounts-${c.w.keychainService}.json`));
  const who = await cli(c, ['whoami']);
  assert.equal(who.code, 3, 'the list is gone: nobody is the default');
  assert.equal(c.w.sim.stats.requests, 0, 'no ZoomGov token went to zoom.us');
  assert.equal(c.gov.liveRefreshTokens(CAROL).length, 1, 'and the ZoomGov sign-in is intact');
});

test('when Zoom ends the default account\'s sign-in, the next account becomes the default and the others stay', async (t) => {
  const c = await signedInClouds(t);
  const { sim } = c.w;
  const app = tray(t, c);
  await app.untilMenuHas(BOB_HEADING);
  sim.revokeGrants('jane.doe@example.com');
  sim.expireAccessTokens('jane.doe@example.com');
  await app.call({ op: 'resume' });
  await app.until("jane's sign-in gone", async () => !(await app.labels()).includes(JANE_HEADING));
  assert.ok((await app.snapshot()).notifications.some((n) => /Sign in to Zoom again/.test(n.title)));
  await app.until('bob is the default', async () => (await app.labels()).find((l) => l.includes('(')) === BOB_HEADING);
  assert.equal(await app.shortcut('CommandOrControl+Alt+Shift+Z'), true);
  assert.equal((await openedAt(app, 1)).pathname, '/s/5559876543');
  assert.deepEqual(JSON.parse((await cli(c, ['accounts', '--json'])).stdout), [{ email: BOB, cloud: 'commercial', default: true }]);
});

test('a login the account list cannot take is undone: its grant revoked at Zoom, nothing of it left in the keychain', async (t) => {
  const w = await signedOut(t);
  /** A data folder that takes no more writes (full, or read-only), played by the index: these tests may run as root. */
  class Unwritable extends AccountIndex {
    protected override async write(): Promise<void> {
      throw new ZoomTrayError('local', 'The list of your accounts could not be saved (ENOSPC).');
    }
  }
  const core = await w.core();
  const lost = new Core(core.config, w.keychain, { accounts: new Unwritable(w.dataDir, w.keychainService, { legacyAccount: async () => undefined, entries: async () => [] }) });
  t.after(() => lost.close());
  await assert.rejects(lost.addAccount({ open: (url) => consentOverHttp(url) }), (err) => isZoomTrayError(err) && err.exitCode === 8 && /revoked at Zoom and removed from the keychain\.$/.test(err.message));
  assert.equal(w.sim.stats.codeExchanges, 1, 'the sign-in went through at Zoom');
  assert.deepEqual(w.sim.liveRefreshTokens(), [], 'and its grant is revoked');
  assert.equal(await w.stored(), undefined);
  assert.equal(await w.keychain.get(w.keychainService, 'start-cache'), undefined);
});

test('after a ZoomGov login of an e-mail signed in on Zoom too, the hint names the cloud, and does what it says', async (t) => {
  const c = await clouds(t, 'jane.doe@example.com');
  t.after(() => c.w.keychain.delete(c.w.keychainService, 'session:gov:jane.doe@example.com').catch(() => undefined));
  t.after(() => c.w.keychain.delete(c.w.keychainService, 'start-cache:gov:jane.doe@example.com').catch(() => undefined));
  await login(c);
  const gov = await login(c, ['--cloud', 'gov']);
  const hint = /`zoom-tray (accounts use [^`]+)` makes this one the default/.exec(gov.stderr)?.[1];
  assert.equal(hint, 'accounts use jane.doe@example.com --cloud gov', gov.stderr);
  const used = await cli(c, hint.split(' '));
  assert.equal(used.code, 0, used.stderr);
  assert.deepEqual(JSON.parse((await cli(c, ['accounts', '--json'])).stdout), [
    { email: 'jane.doe@example.com', cloud: 'commercial', default: false },
    { email: 'jane.doe@example.com', cloud: 'gov', default: true },
  ]);
});

test('an account list that cannot be read is kept aside and rebuilt from the keychain: every account still starts, a login forgets none, the CLI and the tray say so', async (t) => {
  const c = await signedInClouds(t, { gov: true });
  const { sim } = c.w;
  const file = path.join(c.w.dataDir, `accounts-${c.w.keychainService}.json`);
  const all = ['jane.doe@example.com', BOB, CAROL];
  await writeFile(file, '{"v":1,"accounts":[{"email":');

  const listed = await cli(c, ['accounts', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(
    listed.stderr,
    /^zoom-tray: warning: The list of your accounts, \S+ cannot be read \(it is not a list of accounts\); it was kept as \S+ and the list rebuilt from the keychain: jane\.doe@example\.com, bob\.smith@example\.com, carol@agency\.gov \(ZoomGov\)\. `zoom-tray accounts use EMAIL` picks the default\.\n$/,
  );
  assert.deepEqual(JSON.parse(listed.stdout).map((a: { email: string }) => a.email), all);
  await startsAs(sim, await cli(c, ['start', '--print', '--account', BOB]), BOB);
  await startsAs(c.gov, await cli(c, ['start', '--print', '--account', CAROL]), CAROL);

  sim.signInAs('jane.doe@example.com');
  const again = await login(c);
  assert.doesNotMatch(again.stderr, /warning/, 'said once: the list is whole again');
  assert.deepEqual(JSON.parse((await cli(c, ['accounts', '--json'])).stdout).map((a: { email: string }) => a.email), all, 'the next login forgot nobody');

  await rm(file);
  await mkdir(file); // a directory in its place, this time found by the tray
  const app = tray(t, c);
  await app.until('the tray says so', async () => (await app.snapshot()).notifications.some((n) => n.title === 'Your list of Zoom accounts could not be read' && /not a regular file|EISDIR/.test(n.body)));
  await app.untilMenuHas(BOB_HEADING);
  await app.untilMenuHas(CAROL_HEADING);
});
