import assert from 'node:assert/strict';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { keytarStore } from '../../main/session/secret-store';
import { answerConsent, launchChromium } from '../harness/browser';
import { type CliResult, runCli, spawnCli } from '../harness/cli-process';
import { consentOverHttp, leakedSecrets, type World, world } from '../harness/fixtures';

let w: World;
let browser: Browser;
/** Everything the CLI printed, checked at the end for leaked secrets. */
const outputs: CliResult[] = [];

async function cli(args: readonly string[], env = w.env): Promise<CliResult> {
  const result = await runCli(args, env);
  outputs.push(result);
  return result;
}

function apiCalls(): number {
  return Object.values(w.sim.stats.apiCalls).reduce((a, b) => a + b, 0) + w.sim.stats.codeExchanges + w.sim.stats.refreshes;
}

before(async () => {
  w = await world();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await keytarStore(w.keychainService).delete(w.sim.user.email);
  await w.close();
});

test('login: the consent page clicked in Chromium signs in and the tab ends on a friendly page', async () => {
  const login = spawnCli(['login', '--no-open', '--timeout', '60'], w.env);
  const authorizeUrl = new URL(await login.firstLine);
  assert.equal(authorizeUrl.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorizeUrl.searchParams.get('redirect_uri'), w.redirectUri);
  const tabText = await answerConsent(browser, authorizeUrl.href, 'Allow');
  assert.match(tabText, /Signed in[\s\S]*You can close this tab/);
  const result = await login.done;
  outputs.push(result);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Signed in as Jane Doe <jane\.doe@example\.com>/);
  assert.equal(result.stdout.trim(), authorizeUrl.href, 'stdout holds the authorize URL alone');
  const entries = await keytarStore(w.keychainService).list();
  assert.deepEqual(entries.map((e) => e.account), ['jane.doe@example.com']);
});

test('whoami, in words and as JSON', async () => {
  const text = await cli(['whoami']);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout, 'Jane Doe <jane.doe@example.com>  (personal meeting ID 5551234567)\n');
  const json = await cli(['whoami', '--json']);
  assert.deepEqual(JSON.parse(json.stdout), { id: 'sim-user-1', email: 'jane.doe@example.com', first_name: 'Jane', last_name: 'Doe', pmi: '5551234567', timezone: 'UTC' });
});

test('start --print prints the start URL alone, and it starts the meeting in Chromium', async () => {
  const result = await cli(['start', '--print']);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const url = new URL(lines[0] ?? '');
  assert.equal(url.origin + url.pathname, `${w.sim.origin}/s/5551234567`);
  const page = await browser.newPage();
  try {
    await page.goto(url.href);
    assert.equal(await page.title(), 'Meeting 5551234567 started');
  } finally {
    await page.close();
  }
});

test('start opens the browser ($BROWSER) with next, instant and meeting-ID targets', async () => {
  const record = path.join(w.dataDir, 'opened.txt');
  const fakeBrowser = path.join(w.dataDir, 'browser.sh');
  await writeFile(fakeBrowser, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${record}'\n`);
  await chmod(fakeBrowser, 0o755);
  const env = { ...w.env, BROWSER: fakeBrowser };
  const next = await cli(['start', 'next'], env);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /Starting "Design review" \(812 3456 7890\) in your browser/);
  assert.equal(next.stdout, '');
  assert.equal((await cli(['start', 'instant'], env)).code, 0);
  assert.equal((await cli(['start', '823 4567 8901'], env)).code, 0);
  const deadline = Date.now() + 5000;
  let opened: string[] = [];
  while (opened.length < 3 && Date.now() < deadline) {
    opened = (await readFile(record, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(opened.length, 3);
  for (const href of opened) assert.equal((await fetch(href)).status, 200, href);
  assert.match(opened[0] ?? '', /\/s\/81234567890\?zak=/);
  assert.match(opened[2] ?? '', /\/s\/82345678901\?zak=/);
});

test('meetings lists upcoming meetings, soonest first', async () => {
  const json = await cli(['meetings', '--json']);
  assert.equal(json.code, 0, json.stderr);
  const rows = JSON.parse(json.stdout) as Array<{ id: string; topic: string }>;
  assert.deepEqual(rows.map((r) => r.topic), ['Design review', 'Weekly sync', 'Planning']);
  const text = await cli(['meetings']);
  assert.match(text.stdout.split('\n')[0] ?? '', /81234567890 {2}Design review$/);
});

test('usage errors exit 2 before any network call', async () => {
  const before = apiCalls();
  for (const args of [[], ['frobnicate'], ['start', 'tomorrow'], ['start', 'pmi', 'extra'], ['whoami', '--bogus'], ['login', '--timeout', 'soon']]) {
    const result = await cli(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split('\n').length, 1, 'one line on stderr');
    assert.match(result.stderr, /^zoom-tray: /);
  }
  assert.equal((await cli(['whoami'], { ...w.env, ZOOM_CLIENT_ID: '' })).code, 2);
  assert.equal(apiCalls(), before);
  assert.match((await cli(['--help'])).stdout, /zoom-tray start \[pmi\|instant\|next\|<meetingId>\]/);
});

test('exit codes: 3 not signed in, 4 Zoom refused, 5 keychain unavailable, 6 network', async () => {
  const notSignedIn = await cli(['whoami'], { ...w.env, ZOOM_TRAY_KEYCHAIN_SERVICE: `${w.keychainService}-empty` });
  assert.equal(notSignedIn.code, 3);
  assert.match(notSignedIn.stderr, /zoom-tray login/);

  w.sim.user.login = 'facebook';
  const noZak = await cli(['start', '--print']);
  w.sim.user.login = 'password';
  assert.equal(noZak.code, 4);
  assert.match(noZak.stderr, /Google or Facebook/);
  assert.equal(noZak.stdout, '');

  w.sim.faults.rateLimit = { count: 1, retryAfter: 30 };
  const limited = await cli(['whoami']);
  assert.equal(limited.code, 4);
  assert.match(limited.stderr, /rate limit.*30 seconds/);

  const keychain = await cli(['whoami'], { ...w.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
  assert.equal(keychain.code, 5, keychain.stderr);
  assert.match(keychain.stderr, /keychain is unavailable/);

  const offline = await cli(['whoami'], { ...w.env, ZOOM_API_URL: 'http://127.0.0.1:9/v2' });
  assert.equal(offline.code, 6);
  assert.match(offline.stderr, /Could not reach Zoom at 127\.0\.0\.1:9/);
});

test("without environment variables the CLI uses the tray app's settings file", async () => {
  const { ZOOM_CLIENT_ID, ZOOM_REDIRECT_URI, ...rest } = w.env;
  await writeFile(path.join(w.dataDir, 'settings.json'), JSON.stringify({ clientId: ZOOM_CLIENT_ID, redirectUri: ZOOM_REDIRECT_URI }));
  try {
    const result = await cli(['whoami'], rest);
    assert.equal(result.code, 0, result.stderr);
    await writeFile(path.join(w.dataDir, 'settings.json'), '{ broken');
    const broken = await cli(['whoami'], rest);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /warning: Your settings file could not be read\.\nzoom-tray: No Zoom client ID is set/);
  } finally {
    await rm(path.join(w.dataDir, 'settings.json'));
  }
});

test('two CLI processes refreshing at the same moment keep the session', async () => {
  await cli(['whoami']);
  const refreshes = w.sim.stats.refreshes;
  w.sim.expireAccessTokens();
  w.sim.faults.tokenDelayMs = 300;
  try {
    const results = await Promise.all([cli(['whoami']), cli(['start', '--print']), cli(['meetings', '--json'])]);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
  } finally {
    w.sim.faults.tokenDelayMs = 0;
  }
  assert.equal(w.sim.stats.refreshes - refreshes, 1);
  assert.equal(w.sim.stats.rejectedRefreshes, 0);
});

test('login errors: a taken port exits 2 naming it; a declined consent exits 3', async () => {
  const port = Number(new URL(w.redirectUri).port);
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  try {
    const taken = await cli(['login', '--no-open']);
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, new RegExp(`Port ${port}.*ZOOM_REDIRECT_URI`));
  } finally {
    blocker.close();
  }
  const login = spawnCli(['login', '--no-open'], w.env);
  await consentOverHttp(new URL(await login.firstLine), 'deny');
  const denied = await login.done;
  outputs.push(denied);
  assert.equal(denied.code, 3);
  assert.match(denied.stderr, /denied/);
  assert.equal((await cli(['whoami'])).code, 0, 'a declined new sign-in leaves the existing one alone');
});

test('logout revokes at Zoom and deletes the keychain entry', async () => {
  const revocations = w.sim.stats.revocations;
  const result = await cli(['logout']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Signed out jane\.doe@example\.com/);
  assert.equal(w.sim.stats.revocations - revocations, 1);
  assert.deepEqual(await keytarStore(w.keychainService).list(), []);
  assert.deepEqual(w.sim.liveRefreshTokens(), []);
  assert.equal((await cli(['whoami'])).code, 3);
  assert.match((await cli(['logout'])).stderr, /Not signed in/);
});

test('logout when Zoom refuses the revocation signs out here and says how to finish at Zoom; offline keeps the sign-in', async () => {
  const login = spawnCli(['login', '--no-open'], w.env);
  await consentOverHttp(new URL(await login.firstLine));
  assert.equal((await login.done).code, 0);

  const offline = await cli(['logout'], { ...w.env, ZOOM_OAUTH_URL: 'http://127.0.0.1:9' });
  assert.equal(offline.code, 6);
  assert.equal((await keytarStore(w.keychainService).list()).length, 1, 'nothing is dropped while Zoom is unreachable');

  w.sim.faults.revokeRefused = true;
  try {
    const refused = await cli(['logout']);
    assert.equal(refused.code, 0, refused.stderr);
    assert.match(refused.stderr, /^Signed out jane\.doe@example\.com on this computer\. Zoom refused the sign-out request \(Revocation is not supported for this client\)\. To end it at Zoom too, remove zoom-tray under Manage → Added Apps/);
    assert.deepEqual(await keytarStore(w.keychainService).list(), []);
  } finally {
    w.sim.faults.revokeRefused = false;
  }
});

test('no secret reached stdout or stderr, except the ZAK inside a printed start URL', () => {
  assert.ok(outputs.length > 20);
  for (const { stdout, stderr } of outputs) {
    assert.deepEqual(leakedSecrets(w.sim, stderr), []);
    const printedZaks = [...stdout.matchAll(/[?&]zak=([^&\s]+)/g)].map((m) => decodeURIComponent(m[1] ?? ''));
    assert.deepEqual(leakedSecrets(w.sim, stdout).filter((s) => !printedZaks.includes(s)), []);
  }
});
