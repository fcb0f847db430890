import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Env } from '../../main/core/config';
import { launchChromium, answerConsent } from '../harness/browser';
import { CLI, type CliResult, runCli, spawnCli } from '../harness/cli-process';
import { consentOverHttp, leakedSecrets, signedIn, signedOut, type World } from '../harness/fixtures';
import { cliWithoutLeaks, zoomCalls } from '../harness/integration';

/** Runs the CLI and checks its output for leaked secrets: none, except the ZAK of a printed start URL. */
const cli = (w: World, args: readonly string[], env: Env = w.env): Promise<CliResult> => cliWithoutLeaks([w.sim], args, env);

/** A $BROWSER that records what it was asked to open, one URL per line. */
async function recordingBrowser(w: World): Promise<{ env: Env; opened: () => Promise<string[]> }> {
  const record = path.join(w.dataDir, 'opened.txt');
  const script = path.join(w.dataDir, 'browser.sh');
  await writeFile(script, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${record}'\n`);
  await chmod(script, 0o755);
  return { env: { ...w.env, BROWSER: script }, opened: async () => (await readFile(record, 'utf8').catch(() => '')).split('\n').filter(Boolean) };
}

test('login: the consent page clicked in Chromium signs in and the tab ends on a friendly page', async (t) => {
  const w = await signedOut(t);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const login = spawnCli(['login', '--no-open', '--timeout', '60'], w.env);
  const authorizeUrl = new URL(await login.firstLine);
  assert.equal(authorizeUrl.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(authorizeUrl.searchParams.get('redirect_uri'), w.redirectUri);
  assert.match(await answerConsent(browser, authorizeUrl.href, 'Allow'), /Signed in[\s\S]*You can close this tab/);
  const result = await login.done;
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Signed in as Jane Doe <jane\.doe@example\.com>/);
  assert.equal(result.stdout.trim(), authorizeUrl.href, 'stdout holds the authorize URL alone');
  assert.equal((await w.stored())?.account, 'jane.doe@example.com');
  assert.deepEqual(leakedSecrets(w.sim, result.stderr), []);
});

test('login always shows the URL; when the browser cannot be opened it says so and keeps waiting', async (t) => {
  const w = await signedOut(t);
  const login = spawnCli(['login'], { ...w.env, BROWSER: '/bin/false' });
  let stderr = '';
  login.child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<URL>((resolve) => {
    const look = (): void => {
      const found = /^(http:\/\/\S+\/oauth\/authorize\?\S+)$/m.exec(stderr)?.[1];
      if (found && /Could not open your browser/.test(stderr)) resolve(new URL(found));
      else login.child.stderr?.once('data', look);
    };
    look();
  });
  await consentOverHttp(url);
  const result = await login.done;
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Could not open your browser with "\/bin\/false" \(it exited with code 1\)/);
  assert.match(result.stderr, /Signed in as/);
});

test('whoami, in words and as JSON', async (t) => {
  const w = await signedIn(t);
  const text = await cli(w, ['whoami']);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stdout, 'Jane Doe <jane.doe@example.com>  (personal meeting ID 5551234567)\n');
  const json = await cli(w, ['whoami', '--json']);
  assert.deepEqual(JSON.parse(json.stdout), { id: 'sim-user-1', email: 'jane.doe@example.com', first_name: 'Jane', last_name: 'Doe', pmi: '5551234567', timezone: 'UTC' });
});

test('start --print prints the start URL alone, and it starts the meeting in Chromium', async (t) => {
  const w = await signedIn(t);
  const result = await cli(w, ['start', '--print']);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const url = new URL(lines[0] ?? '');
  assert.equal(url.origin + url.pathname, `${w.sim.origin}/s/5551234567`);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await browser.newPage();
  await page.goto(url.href);
  assert.equal(await page.title(), 'Meeting 5551234567 started');
});

test("start asks Zoom nothing once the ZAK and PMI are kept beside the sign-in, and only the signed-in account's are used", async (t) => {
  const w = await signedIn(t);
  const startPage = async (result: CliResult): Promise<{ url: URL; status: number }> => {
    assert.equal(result.code, 0, result.stderr);
    const url = new URL(result.stdout.trim());
    return { url, status: (await fetch(url)).status };
  };
  let calls = zoomCalls(w.sim);
  const first = await startPage(await cli(w, ['start', '--print']));
  assert.equal(zoomCalls(w.sim) - calls, 1, 'the PMI was kept at sign-in: only the ZAK is asked for');
  calls = zoomCalls(w.sim);
  const second = await startPage(await cli(w, ['start', '--print']));
  assert.equal(zoomCalls(w.sim) - calls, 0);
  assert.equal(second.url.href, first.url.href);
  assert.equal(second.status, 200);

  // Another account's entry (a sign-in replaced outside zoom-tray) and a garbled one are ignored.
  await w.keychain.set(w.keychainService, 'start-cache', JSON.stringify({ v: 1, account: 'mallory@example.com', pmi: '999999999', zak: 'forged', zakExpiresAt: Date.now() + 3_600_000 }));
  const other = await startPage(await cli(w, ['start', '--print']));
  assert.equal(other.url.pathname, '/s/5551234567');
  assert.notEqual(other.url.searchParams.get('zak'), 'forged');
  assert.equal(other.status, 200);
  await w.keychain.set(w.keychainService, 'start-cache', '{"v":1,"account":');
  assert.equal((await startPage(await cli(w, ['start', '--print']))).status, 200);

  assert.equal((await cli(w, ['logout'])).code, 0);
  assert.equal(await w.keychain.get(w.keychainService, 'start-cache'), undefined, 'logout removes the kept ZAK too');
});

test('start opens the browser ($BROWSER) with next, instant and meeting-ID targets', async (t) => {
  const w = await signedIn(t);
  const { env, opened } = await recordingBrowser(w);
  const next = await cli(w, ['start', 'next'], env);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /Opened the start link for "Design review" \(812 3456 7890\) in your browser/);
  assert.equal(next.stdout, '');
  assert.equal((await cli(w, ['start', 'instant'], env)).code, 0);
  assert.equal((await cli(w, ['start', '823 4567 8901'], env)).code, 0);
  const urls = await opened();
  assert.equal(urls.length, 3, 'each start handed one URL to the browser before the CLI exited');
  for (const href of urls) assert.equal((await fetch(href)).status, 200, href);
  assert.match(urls[0] ?? '', /\/s\/81234567890\?zak=/);
  assert.match(urls[2] ?? '', /\/s\/82345678901\?zak=/);
});

test('a browser that cannot be opened is exit 7 and says what to do, not "opened"', async (t) => {
  const w = await signedIn(t);
  for (const browser of ['/bin/false', '/nonexistent/browser']) {
    const result = await cli(w, ['start'], { ...w.env, BROWSER: browser });
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stderr, /^zoom-tray: Could not open your browser with ".*" \(.*\)\. Set BROWSER to your browser's command, or open the link yourself\. `zoom-tray start --print` prints it\.\n$/);
  }
});

test('meetings lists upcoming meetings, soonest first', async (t) => {
  const w = await signedIn(t);
  const json = await cli(w, ['meetings', '--json']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual((JSON.parse(json.stdout) as Array<{ topic: string }>).map((r) => r.topic), ['Design review', 'Weekly sync', 'Planning']);
  const text = await cli(w, ['meetings']);
  assert.match(text.stdout.split('\n')[0] ?? '', /81234567890 {2}Design review$/);
});

test('text from Zoom cannot drive the terminal: control sequences in topics and names are shown, not obeyed', async (t) => {
  const hostile = 'Standup \u001b]0;owned\u0007\u001b[2J';
  const w = await signedIn(t, {
    sim: {
      user: { first_name: 'Jane\u001b[31m', last_name: 'Doe\r' },
      meetings: [{ id: 81234567890, topic: hostile, type: 2, start_time: new Date(Date.now() + 3_600_000).toISOString(), duration: 30, timezone: 'UTC' }],
    },
  });
  const meetings = await cli(w, ['meetings']);
  const whoami = await cli(w, ['whoami']);
  for (const out of [meetings.stdout, whoami.stdout]) assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f\u007f]/);
  assert.match(meetings.stdout, /Standup \uFFFD\]0;owned\uFFFD\uFFFD\[2J/);
  assert.equal(JSON.parse((await cli(w, ['meetings', '--json'])).stdout)[0].topic, hostile, 'JSON keeps the exact text, escaped');
});

test('usage errors exit 2 before any network call', async (t) => {
  const w = await signedIn(t);
  const before = zoomCalls(w.sim);
  for (const args of [[], ['frobnicate'], ['start', 'tomorrow'], ['start', 'pmi', 'extra'], ['whoami', '--bogus'], ['login', '--timeout', 'soon']]) {
    const result = await cli(w, args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stderr.trim().split('\n').length, 1, 'one line on stderr');
    assert.match(result.stderr, /^zoom-tray: /);
  }
  assert.equal((await cli(w, ['whoami'], { ...w.env, ZOOM_CLIENT_ID: '' })).code, 2);
  assert.equal(zoomCalls(w.sim), before);
  assert.match((await cli(w, ['--help'])).stdout, /zoom-tray start \[pmi\|instant\|next\|<meetingId>\]/);
});

test('exit codes: 3 not signed in, 4 Zoom refused, 5 keychain unavailable, 6 network', async (t) => {
  const w = await signedIn(t);
  const notSignedIn = await cli(w, ['whoami'], { ...w.env, ZOOM_TRAY_KEYCHAIN_SERVICE: `${w.keychainService}-empty` });
  assert.equal(notSignedIn.code, 3);
  assert.match(notSignedIn.stderr, /zoom-tray login/);

  w.sim.user.login = 'facebook';
  const noZak = await cli(w, ['start', '--print']);
  w.sim.user.login = 'password';
  assert.equal(noZak.code, 4);
  assert.match(noZak.stderr, /Google or Facebook/);
  assert.equal(noZak.stdout, '');

  w.sim.faults.rateLimit = { count: 1, retryAfter: 30 };
  const limited = await cli(w, ['whoami']);
  assert.equal(limited.code, 4);
  assert.match(limited.stderr, /rate limit.*30 seconds/);

  const keychain = await cli(w, ['whoami'], { ...w.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' });
  assert.equal(keychain.code, 5, keychain.stderr);
  assert.match(keychain.stderr, /keychain is unavailable/);
  assert.match(keychain.stderr, /dbus-run-session .*https:\/\/github\.com\/zoom-tray\/zoom-tray#sign-in-without-a-desktop/, 'Linux: the way to a Secret Service without a desktop');

  const offline = await cli(w, ['whoami'], { ...w.env, ZOOM_API_URL: 'http://127.0.0.1:9/v2' });
  assert.equal(offline.code, 6);
  assert.match(offline.stderr, /Could not reach Zoom at 127\.0\.0\.1:9/);
});

test("without environment variables the CLI uses the tray app's settings file; a broken one is a warning", async (t) => {
  const w = await signedIn(t);
  const { ZOOM_CLIENT_ID, ZOOM_REDIRECT_URI, ...rest } = w.env;
  const settings = path.join(w.dataDir, 'settings.json');
  await writeFile(settings, JSON.stringify({ clientId: ZOOM_CLIENT_ID, redirectUri: ZOOM_REDIRECT_URI }));
  const result = await cli(w, ['whoami'], rest);
  assert.equal(result.code, 0, result.stderr);
  await writeFile(settings, '{ broken');
  const broken = await cli(w, ['whoami'], rest);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /warning: Your settings file could not be read\.\nzoom-tray: No Zoom client ID is set/);
  const fromEnv = await cli(w, ['whoami']);
  assert.equal(fromEnv.code, 0, 'a configuration complete in the environment works beside a broken settings file');
  assert.match(fromEnv.stderr, /warning: Your settings file could not be read/);
});

test('two CLI processes refreshing at the same moment keep the session', async (t) => {
  const w = await signedIn(t);
  w.sim.expireAccessTokens();
  const gate = w.sim.gateTokens();
  const runs = Promise.all([cli(w, ['whoami']), cli(w, ['start', '--print']), cli(w, ['meetings', '--json'])]);
  // All three were refused with the old access token and one refresh is held at Zoom.
  await gate.arrived(1);
  while (w.sim.stats.unauthorized < 3) await new Promise((resolve) => setTimeout(resolve, 10));
  gate.open();
  for (const r of await runs) assert.equal(r.code, 0, r.stderr);
  assert.equal(w.sim.stats.refreshes, 1);
  assert.equal(w.sim.stats.rejectedRefreshes, 0);
});

test('login errors: a taken port exits 2 naming it; a declined consent exits 3 and keeps the existing sign-in', async (t) => {
  const w = await signedIn(t);
  const port = Number(new URL(w.redirectUri).port);
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  const taken = await cli(w, ['login', '--no-open']);
  blocker.close();
  assert.equal(taken.code, 2);
  assert.match(taken.stderr, new RegExp(`Port ${port}.*ZOOM_REDIRECT_URI`));
  const login = spawnCli(['login', '--no-open'], w.env);
  await consentOverHttp(new URL(await login.firstLine), 'deny');
  const denied = await login.done;
  assert.equal(denied.code, 3);
  assert.match(denied.stderr, /denied/);
  assert.equal((await cli(w, ['whoami'])).code, 0, 'a declined new sign-in leaves the existing one alone');
});

test('logout revokes at Zoom and deletes the keychain entry', async (t) => {
  const w = await signedIn(t);
  const result = await cli(w, ['logout']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /Signed out jane\.doe@example\.com/);
  assert.equal(w.sim.stats.revocations, 1);
  assert.equal(await w.stored(), undefined);
  assert.deepEqual(w.sim.liveRefreshTokens(), []);
  assert.equal((await cli(w, ['whoami'])).code, 3);
  assert.match((await cli(w, ['logout'])).stderr, /Not signed in/);
});

test('logout offline keeps the sign-in; refused by Zoom it signs out here and says how to finish, without "try again"', async (t) => {
  const w = await signedIn(t);
  const offline = await cli(w, ['logout'], { ...w.env, ZOOM_OAUTH_URL: 'http://127.0.0.1:9' });
  assert.equal(offline.code, 6);
  assert.ok(await w.stored(), 'nothing is dropped while Zoom is unreachable');

  w.sim.faults.queue.push({ on: 'revoke', when: 'before', spoil: 'server-error' });
  const failed = await cli(w, ['logout']);
  assert.equal(failed.code, 0, failed.stderr);
  assert.equal(
    failed.stderr,
    'Signed out jane.doe@example.com on this computer. Zoom did not confirm the revocation (HTTP 503, server_error). To end it at Zoom too, remove zoom-tray under Manage → Added Apps at marketplace.zoom.us.\n',
  );
  assert.equal(await w.stored(), undefined);
});

test('a settings file that is a folder or a FIFO never blocks a command whose configuration is in the environment', async (t) => {
  const w = await signedIn(t);
  const settings = path.join(w.dataDir, 'settings.json');
  await mkdir(settings);
  const dir = await cli(w, ['whoami']);
  assert.equal(dir.code, 0, dir.stderr);
  assert.match(dir.stderr, /settings file .* cannot be used \(not a regular file\)/);
  await rm(settings, { recursive: true });
  execFileSync('mkfifo', [settings]);
  const fifo = await cli(w, ['whoami']);
  assert.equal(fifo.code, 0, fifo.stderr);
  assert.match(fifo.stderr, /settings file .* cannot be used \(not a regular file\)/);
});

test('join opens a Zoom link or meeting ID (no sign-in, no keychain, no request); anything else is exit 2 that says what it was', async (t) => {
  const w = await signedOut(t);
  const noKeychain = { ...w.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
  const link = await runCli(['join', 'https://us06web.zoom.us/j/81234567890?pwd=AbC1&utm=x', '--print'], noKeychain);
  assert.equal(link.code, 0, link.stderr);
  assert.equal(link.stdout, 'https://us06web.zoom.us/j/81234567890?pwd=AbC1\n');
  const id = await runCli(['join', '812 3456 7890', '--print'], noKeychain);
  assert.equal(id.stdout, `${w.sim.origin}/j/81234567890\n`, "an ID joins on the configured Zoom's web host");
  const browser = await recordingBrowser(w);
  const opened = await runCli(['join', 'https://zoom.us/j/5551234567'], browser.env);
  assert.equal(opened.code, 0, opened.stderr);
  assert.match(opened.stderr, /Opened meeting 555 123 4567 in your browser/);
  assert.deepEqual(await browser.opened(), ['https://zoom.us/j/5551234567']);
  const other = await runCli(['join', 'hunter2 is my password'], noKeychain);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /not a Zoom meeting link or ID: it is 22 characters of text/);
  assert.doesNotMatch(other.stderr, /hunter2/);
  assert.equal(w.sim.stats.requests, 0);
});

test("invitation prints Zoom's invitation (or the ID and passcode) of the personal room, the next meeting or an ID; instant is exit 2 with no request", async (t) => {
  const w = await signedIn(t);
  const room = await cli(w, ['invitation']);
  assert.equal(room.code, 0, room.stderr);
  assert.match(room.stdout, /^Jane Doe is inviting you to a Zoom meeting\.\n\nTopic: Jane Doe's Personal Meeting Room\n[^]*\nMeeting ID: 555 123 4567\nPasscode: pmi-pass\n$/);
  const next = await cli(w, ['invitation', 'next', '--id-and-passcode']);
  assert.equal(next.stdout, 'Meeting ID: 812 3456 7890\nPasscode: p567890\n');
  w.sim.meetings[1] = { ...w.sim.meetings[1]!, topic: 'Weekly sync\u001b]0;pwned\u0007' };
  const byId = await cli(w, ['invitation', '823 4567 8901']);
  assert.match(byId.stdout, /Topic: Weekly sync\uFFFD\]0;pwned\uFFFD\n/, 'a topic never reaches the terminal as escapes');
  const before = zoomCalls(w.sim);
  const instant = await cli(w, ['invitation', 'instant']);
  assert.equal(instant.code, 2);
  assert.match(instant.stderr, /instant meeting has no invitation until it exists/);
  w.sim.faults.missingScopes = ['meeting:read:invitation'];
  const refused = await cli(w, ['invitation']);
  assert.equal(refused.code, 4);
  assert.match(refused.stderr, /lacks the scope for the meeting's invitation .*meeting:read:invitation.*Add the scope/);
  assert.equal(zoomCalls(w.sim) - before, 1, 'instant asked Zoom nothing; the refusal one request');
});

test('logout in a data folder that cannot be written still signs out, and says so (exit 0)', async (t) => {
  const w = await signedIn(t);
  assert.equal((await cli(w, ['whoami'])).code, 0); // writes the account list, which logout must then change
  await chmod(w.dataDir, 0o500);
  // The refresh lock falls back to <temp>/zoom-tray-<uid>, made to last: here a temp folder of the test's own.
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-logout-'));
  t.after(() => rm(tmp, { recursive: true, force: true }));
  // As root, file modes bind only without the capability to override them.
  const asRoot = process.getuid?.() === 0;
  const run = spawn(asRoot ? 'setpriv' : process.execPath, [...(asRoot ? ['--inh-caps=-all', '--bounding-set=-dac_override,-dac_read_search', '--', process.execPath] : []), CLI, 'logout'], {
    env: { ...w.env, TMPDIR: tmp } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  run.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => run.on('close', resolve));
  await chmod(w.dataDir, 0o700);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /^Signed out jane\.doe@example\.com; the sign-in was revoked at Zoom/);
  assert.equal(await w.stored(), undefined);
  assert.deepEqual(await readdir(tmp), [`zoom-tray-${process.getuid?.()}`], 'the lock was taken in the temp folder');
});

test('four logouts at once: one signs out and revokes, the others find nobody signed in (never a read made before the lock)', async (t) => {
  const w = await signedIn(t);
  const runs = await Promise.all(Array.from({ length: 4 }, () => cli(w, ['logout'])));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  assert.equal(runs.filter((r) => /^Signed out jane\.doe@example\.com; the sign-in was revoked/.test(r.stderr)).length, 1, runs.map((r) => r.stderr).join(''));
  assert.equal(runs.filter((r) => r.stderr === 'Not signed in.\n').length, 3);
  assert.equal(w.sim.stats.revocations, 1);
});

test('a calendar address pasted in place of a command is exit 2, and is neither shown nor logged', async (t) => {
  const w = await signedOut(t);
  const pasted = 'https://calendar.google.com/calendar/ical/jane%40example.com/private-5ecre7t0ken/basic.ics';
  const result = await cli(w, [pasted], { ...w.env, ZOOM_TRAY_LOG: 'debug' });
  assert.equal(result.code, 2);
  assert.ok(!`${result.stdout}${result.stderr}`.includes('5ecre7t0ken'));
  const logged = await readFile(path.join(w.dataDir, 'zoom-tray.log'), 'utf8');
  assert.match(logged, /failed/, 'the failure is logged');
  assert.ok(!logged.includes('5ecre7t0ken'), 'but not what was pasted');
});

test('a data folder that cannot be made is exit 8 at once, naming ZOOM_TRAY_DATA_DIR: under a file, or where the OS refuses (/proc, where Node\'s recursive mkdir spins forever)', async (t) => {
  const w = await signedIn(t);
  const file = path.join(w.dataDir, 'a-file');
  await writeFile(file, '');
  const folders = [path.join(file, 'zoom-tray'), ...(process.platform === 'linux' ? ['/proc/nope/zoom-tray', '/proc/nope'] : [])];
  for (const dataDir of folders) {
    for (const command of ['whoami', 'meetings']) {
      // Far above the CLI's start-up, far below its own bounds: a hang is killed and reported as one.
      const result = await runCli([command], { ...w.env, ZOOM_TRAY_DATA_DIR: dataDir }, 10_000);
      assert.equal(result.timedOut, false, `${command} with ${dataDir} hung`);
      assert.equal(result.code, 8, `${command} with ${dataDir}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^zoom-tray: zoom-tray cannot make its data folder .*ZOOM_TRAY_DATA_DIR/);
    }
  }
  assert.equal((await cli(w, ['whoami'])).code, 0, 'the sign-in is untouched');
});

test("invitation: Zoom's text carrying this sign-in's tokens (an echoing server) is printed without them", async (t) => {
  const w = await signedIn(t);
  const stored = await w.stored();
  assert.ok(stored);
  w.sim.meetings[1] = { ...w.sim.meetings[1]!, topic: `Echo ${stored.accessToken} ${stored.refreshToken}` };
  const result = await cli(w, ['invitation', '823 4567 8901']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Topic: Echo \[redacted\] \[redacted\]\n/);
});
