import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { calendarListFor } from '../../main/calendars/calendar-list';
import { parseFeedAddress } from '../../main/calendars/feed-address';
import type { Env } from '../../main/core/config';
import { UPCOMING_SCOPE } from '../../main/meetings/zoom-meetings';
import { AppDriver } from '../harness/app-driver';
import { type FeedServer, startFeedServer } from '../harness/feed-server';
import type { CliResult } from '../harness/cli-process';
import { signedIn, type World } from '../harness/fixtures';
import { bootApp, cliWithoutLeaks, zoomCalls } from '../harness/integration';
import type { SimMeeting } from '../zoom-sim/server';

const PROBE = path.resolve(__dirname, '../harness/fork-probe.cjs');

/** The endpoint of a world's tray: its data folder is short, so the socket is inside it. */
function socketOf(w: World): { dir: string; path: string } {
  const dir = path.join(w.dataDir, 'endpoint');
  return { dir, path: path.join(dir, 'tray.sock') };
}

/** A signed-in tray whose caches are warm, listening for the CLI. */
async function warmTray(t: TestContext, w: World): Promise<AppDriver> {
  const app = bootApp(t, w.env);
  await app.untilMenuHas(/Design review$/);
  await app.until('prefetched ZAK', async () => (w.sim.stats.apiCalls['GET /v2/users/me/token'] ?? 0) >= 1);
  return app;
}

/** Runs the CLI, recording each process it forks (the keychain process is the one that matters). */
async function cli(w: World, args: readonly string[], env: Env = w.env): Promise<CliResult & { forks: string[]; requests: number }> {
  const forksFile = path.join(w.dataDir, `forks-${Math.random().toString(36).slice(2)}.txt`);
  const before = zoomCalls(w.sim);
  const result = await cliWithoutLeaks([w.sim], args, { ...env, NODE_OPTIONS: `--require ${PROBE}`, FORK_PROBE_RECORD: forksFile });
  const forks = (await readFile(forksFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { ...result, forks, requests: zoomCalls(w.sim) - before };
}

/** What a user sees of a run: the same for the tray's answer and the CLI's own. */
function seen(r: CliResult): { code: number | null; stdout: string; stderr: string } {
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

test('with the tray running, start --print and accounts --json are its answers: no request to Zoom, no keychain process, the same output as the CLI alone', async (t) => {
  const w = await signedIn(t);
  const app = await warmTray(t, w);
  const id = String(w.sim.meetings[0]?.id);
  const asked = [['start', '--print'], ['start', 'pmi', '--print'], ['start', 'next', '--print'], ['start', id, '--print'], ['start', '--print', '--account', 'JANE.DOE@example.com'], ['accounts', '--json']];
  const fromTray = [];
  for (const args of asked) {
    const r = await cli(w, args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.requests, 0, `${args.join(' ')} asked Zoom`);
    assert.deepEqual(r.forks, [], `${args.join(' ')} started a keychain process`);
    fromTray.push(seen(r));
  }
  assert.match(fromTray[0]?.stdout ?? '', new RegExp(`^${w.sim.origin}/s/5551234567\\?zak=[^\\s]+\\n$`));
  await app.quit();
  // The same state, the tray gone: the CLI answers itself, word for word the same.
  for (const [i, args] of asked.entries()) {
    const r = await cli(w, args);
    assert.ok(r.forks.length > 0, `${args.join(' ')} ran without the tray: it reads the keychain`);
    assert.deepEqual(seen(r), fromTray[i], `${args.join(' ')}: the tray's answer and the CLI's differ`);
  }
});

test('a tray killed outright leaves its socket behind: the CLI answers itself, and the next tray listens again', async (t) => {
  const w = await signedIn(t);
  const first = await warmTray(t, w);
  first.kill();
  await first.exited;
  assert.ok(existsSync(socketOf(w).path), 'the killed tray left its socket file');
  const stale = await cli(w, ['start', '--print']);
  assert.equal(stale.code, 0, stale.stderr);
  assert.match(stale.stdout, /\/s\/5551234567\?zak=/);
  assert.ok(stale.forks.length > 0, 'the CLI ran the command itself');
  await warmTray(t, w);
  const answered = await cli(w, ['start', '--print']);
  assert.deepEqual([answered.code, answered.requests, answered.forks], [0, 0, []], 'the new tray answered');
});

/** Something listening at the tray's socket in its place: `serve` has each connection. */
async function impostor(t: TestContext, w: World, serve: (socket: net.Socket) => void): Promise<{ connections: () => number }> {
  const { dir, path: at } = socketOf(w);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.on('error', () => undefined);
    serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(at, resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { connections: () => connections };
}

/** The CLI, with something else at the tray's socket, still starts the meeting itself, as if nothing were there. */
async function fallsBack(w: World, what: string): Promise<void> {
  const r = await cli(w, ['start', '--print']);
  assert.equal(r.code, 0, `${what}: ${r.stderr}`);
  assert.match(r.stdout, /^http:\/\/127\.0\.0\.1:\d+\/s\/5551234567\?zak=[^\s]+\n$/, what);
  assert.equal(r.stderr, '', what);
  assert.ok(r.forks.length > 0, `${what}: the CLI ran the command itself`);
}

test('a tray that goes away mid-answer, or answers another protocol, leaves the CLI to answer itself', async (t) => {
  const cases: [string, (socket: net.Socket) => void][] = [
    ['closed once the request arrived', (s) => s.once('data', () => s.destroy())],
    ['half an answer, then gone', (s) => s.once('data', () => s.end('{"v":1,"ok":true,"stdout":"http'))],
    ['an HTTP answer', (s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\n\r\n'))],
    ['another version', (s) => s.once('data', () => s.end('{"v":2,"ok":true,"stdout":"x\\n"}\n'))],
    ['a terminal escape to print', (s) => s.once('data', () => s.end('{"v":1,"ok":true,"stdout":"\\u001b]0;owned\\u0007\\n"}\n'))],
    ['no answer at all', (s) => s.resume()],
  ];
  for (const [what, serve] of cases) {
    await t.test(what, async (st) => {
      const w = await signedIn(st);
      const fake = await impostor(st, w, serve);
      await fallsBack(w, what);
      assert.equal(fake.connections(), 1, `${what}: the CLI asked once`);
    });
  }
});

test("a socket in a folder that is not the user's own, or is open to others, is never talked to", { skip: process.getuid?.() !== 0 && 'changing a folder\'s owner needs root' }, async (t) => {
  const cases: [string, (dir: string) => Promise<void>][] = [
    ["another user's folder", (dir) => chown(dir, 65534, 65534)],
    ['a folder others may enter', (dir) => chmod(dir, 0o755)],
  ];
  for (const [what, change] of cases) {
    await t.test(what, async (st) => {
      const w = await signedIn(st);
      // It would answer, and hand back a URL of its choosing, if the CLI asked.
      const fake = await impostor(st, w, (s) => s.once('data', () => s.end('{"v":1,"ok":true,"stdout":"https://zoom.us/s/1?zak=stolen\\n"}\n')));
      await change(socketOf(w).dir);
      await fallsBack(w, what);
      assert.equal(fake.connections(), 0, `${what}: the CLI connected`);
    });
  }
});

test('a data folder too long for a socket: the endpoint moves to the runtime folder, or is off with a log line, and the CLI works either way', async (t) => {
  const w = await signedIn(t);
  // The same sign-in (keychain service), another data folder (one per tray): over 150 bytes deep.
  const longDir = async (name: string): Promise<string> => {
    const dir = path.join(w.dataDir, name, 'a-data-folder-whose-path-is-long'.repeat(4));
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  };
  const runtime = await mkdtemp(path.join(os.tmpdir(), 'zt-run-'));
  t.after(() => rm(runtime, { recursive: true, force: true }));
  await t.test('moved under $XDG_RUNTIME_DIR', async (st) => {
    const env = { ...w.env, ZOOM_TRAY_DATA_DIR: await longDir('moved'), XDG_RUNTIME_DIR: runtime };
    await warmTray(st, { ...w, env });
    const r = await cli(w, ['start', '--print'], env);
    assert.deepEqual([r.code, r.requests, r.forks], [0, 0, []], r.stderr);
    assert.match(r.stdout, /\/s\/5551234567\?zak=/);
  });
  await t.test('off, and said in the log', async (st) => {
    const { XDG_RUNTIME_DIR: _gone, ...rest } = w.env;
    const dir = await longDir('off');
    const env = { ...rest, ZOOM_TRAY_DATA_DIR: dir };
    await warmTray(st, { ...w, env });
    assert.match(await readFile(path.join(dir, 'zoom-tray.log'), 'utf8'), /the CLI's endpoint is off: the data folder's path is too long for a socket \(\d+ bytes, at most 103\)/);
    const r = await cli(w, ['start', '--print'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\/s\/5551234567\?zak=/);
    assert.ok(r.forks.length > 0, 'the CLI answered itself');
  });
});

const MIN = 60_000;
const at = (minutes: number): number => Math.ceil(Date.now() / MIN) * MIN + minutes * MIN;
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const ics = (ms: number): string => iso(ms).replace(/[-:]/g, '');

/** The user hosts the next meeting; an invitation (in the calendar too) and a calendar-only meeting come later. */
const DESIGN = at(30);
const VENDOR = at(60);
const ROADMAP = at(90);
const design: SimMeeting = { id: 81234567890, topic: 'Design review', type: 2, start_time: iso(DESIGN), duration: 45, timezone: 'UTC' };
const vendor: SimMeeting = { id: 87777777777, topic: 'Vendor call', type: 2, start_time: iso(VENDOR), duration: 30, timezone: 'UTC' };

/** A Google-style feed (UTC times, the link in LOCATION); `ttl` as Outlook publishes one (X-PUBLISHED-TTL, RFC 5545 durations). */
function workCalendar(ttl?: string): string {
  const event = (uid: string, start: number, summary: string, link: string): string =>
    `BEGIN:VEVENT\r\nUID:${uid}@google.com\r\nDTSTAMP:${ics(Date.now())}\r\nDTSTART:${ics(start)}\r\nDTEND:${ics(start + 30 * MIN)}\r\nSUMMARY:${summary}\r\nLOCATION:${link}\r\nEND:VEVENT\r\n`;
  return (
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nX-WR-CALNAME:Work\r\n${ttl ? `X-PUBLISHED-TTL:${ttl}\r\n` : ''}` +
    event('vendor', VENDOR, 'Vendor call', 'https://us06web.zoom.us/j/87777777777?pwd=cal') +
    event('roadmap', ROADMAP, 'Roadmap', 'https://zoom.us/j/84444444444?pwd=road') +
    'END:VCALENDAR\r\n'
  );
}

/** A signed-in world with the calendar "Work", and a $BROWSER that writes down what it is asked to open. */
async function agendaWorld(t: TestContext, ttl?: string): Promise<{ w: World; feeds: FeedServer; opened: () => Promise<string> }> {
  const w = await signedIn(t, { sim: { meetings: [design], invitations: [vendor] } });
  const feeds = await startFeedServer(t);
  feeds.serve('work', workCalendar(ttl));
  const parsed = parseFeedAddress(feeds.address('work'));
  assert.ok(parsed.ok);
  await calendarListFor(w.keychain, w.dataDir, w.keychainService).add(parsed.url, () => 'Work');
  const browser = path.join(w.dataDir, 'browser.sh');
  const record = path.join(w.dataDir, 'opened.txt');
  await writeFile(browser, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${record}'\n`, { mode: 0o700 });
  return { w: { ...w, env: { ...w.env, BROWSER: browser } }, feeds, opened: () => readFile(record, 'utf8').catch(() => '') };
}

/** The tray warm, its calendar read too. */
async function warmAgendaTray(t: TestContext, w: World, feeds: FeedServer): Promise<AppDriver> {
  const app = await warmTray(t, w);
  await app.untilMenuHas(/Roadmap$/);
  await app.settle();
  assert.equal(feeds.stats('work').requests, 1);
  return app;
}

test('with the tray running, meetings --json and join next (printed or opened) are its answers: no request to Zoom or the calendar, no keychain process, the same output as the CLI alone', async (t) => {
  const { w, feeds, opened } = await agendaWorld(t);
  const app = await warmAgendaTray(t, w, feeds);
  const asked = [['meetings', '--json'], ['join', 'next', '--print'], ['join', 'next']];
  const fromTray = [];
  for (const args of asked) {
    const r = await cli(w, args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.deepEqual([r.requests, feeds.stats('work').requests], [0, 1], `${args.join(' ')} asked Zoom or the calendar`);
    assert.deepEqual(r.forks, [], `${args.join(' ')} started a keychain process`);
    fromTray.push(seen(r));
  }
  const rows = JSON.parse(fromTray[0]?.stdout ?? '') as { id: string; sources: string[] }[];
  assert.deepEqual(rows.map((r) => [r.id, r.sources]), [['81234567890', ['zoom']], ['87777777777', ['zoom', 'calendar:Work']], ['84444444444', ['calendar:Work']]]);
  assert.match(fromTray[1]?.stdout ?? '', new RegExp(`^${w.sim.origin}/s/81234567890\\?zak=[^\\s]+\\n$`));
  assert.deepEqual(fromTray[2], { code: 0, stdout: '', stderr: 'Opened "Design review" (812 3456 7890) in your browser.\n' });
  const trayOpened = await opened();
  assert.equal(trayOpened, fromTray[1]?.stdout, 'join next opened the link join next --print printed');
  await app.quit();
  for (const [i, args] of asked.entries()) {
    const r = await cli(w, args);
    assert.ok(r.forks.length > 0 && r.requests > 0, `${args.join(' ')} ran without the tray: it reads the keychain and asks Zoom`);
    assert.deepEqual(seen(r), fromTray[i], `${args.join(' ')}: the tray's answer and the CLI's differ`);
  }
  assert.equal((await opened()).slice(trayOpened.length), trayOpened, 'the CLI alone opened the same link');
});

/** The CLI, the tray running but not holding a current, complete agenda: it asks Zoom (and the calendar) itself. */
async function runsItself(w: World, what: string): Promise<CliResult> {
  const r = await cli(w, ['meetings', '--json']);
  assert.ok(r.forks.length > 0 && r.requests > 0, `${what}: the CLI ran meetings --json itself`);
  const next = await cli(w, ['join', 'next', '--print']);
  assert.ok(next.forks.length > 0 && next.requests > 0, `${what}: the CLI ran join next itself`);
  assert.equal(next.code, 0, next.stderr);
  return r;
}

test('the tray does not answer meetings or join next from a Zoom list whose last poll failed, a calendar that failed or was read too long ago, or an app lacking the invitations scope', async (t) => {
  await t.test("Zoom's list: the last poll failed", async (st) => {
    const { w, feeds } = await agendaWorld(st);
    const app = await warmAgendaTray(st, w, feeds);
    w.sim.faults.offline = true;
    await app.jumpTo(Date.now() + 15 * MIN + 1000);
    w.sim.faults.offline = false;
    const r = await runsItself(w, 'a failed poll');
    assert.equal(r.code, 0, r.stderr);
  });
  await t.test('the calendar: its last read failed', async (st) => {
    const { w, feeds } = await agendaWorld(st);
    const app = await warmAgendaTray(st, w, feeds);
    feeds.mode('work', 'busy');
    await app.jumpTo(Date.now() + 15 * MIN + 1000);
    assert.equal(feeds.stats('work').requests, 2, 'the tray read the calendar again');
    const r = await runsItself(w, 'a failed calendar');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /calendar:Work|Work/, 'the CLI says the calendar failed, in its own words');
  });
  await t.test('the calendar: read more than 16 minutes ago (its feed asks for 6 hours between reads)', async (st) => {
    const { w, feeds } = await agendaWorld(st, 'PT6H');
    const app = await warmAgendaTray(st, w, feeds);
    await app.jumpTo(Date.now() + 20 * MIN);
    assert.equal(feeds.stats('work').requests, 1, 'not due: the feed asked for 6 hours');
    const r = await runsItself(w, 'a calendar read 20 minutes ago');
    assert.equal(r.code, 0, r.stderr);
  });
  await t.test('the Zoom app lacks the scope for invitations', async (st) => {
    const { w, feeds } = await agendaWorld(st);
    w.sim.faults.missingScopes.push(UPCOMING_SCOPE);
    await warmAgendaTray(st, w, feeds);
    const r = await runsItself(w, 'a missing scope');
    assert.match(r.stderr, new RegExp(`lacks the scope ${UPCOMING_SCOPE}`));
  });
});

// The second answer was found in review: the tray's link was opened if it was any http(s) URL; the
// CLI alone opens only Zoom's hosts (and the configured base).
for (const [what, answer] of [
  ['an answer that is only text to print', '{"v":1,"ok":true,"stdout":"https://zoom.us.evil.example/j/1\\n"}\n'],
  ['a named link off Zoom\'s hosts', '{"v":1,"ok":true,"stdout":"https://zoom.us.evil.example/j/1\\n","what":"Design review"}\n'],
] as const) {
  test(`join next opens only a Zoom link the tray names: ${what} leaves the CLI to run it`, async (t) => {
    const { w, opened } = await agendaWorld(t);
    const fake = await impostor(t, w, (s) => s.once('data', () => s.end(answer)));
    const r = await cli(w, ['join', 'next']);
    assert.equal(fake.connections(), 1);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', 'Opened "Design review" (812 3456 7890) in your browser.\n']);
    assert.ok(r.forks.length > 0 && r.requests > 0, 'the CLI ran join next itself');
    assert.match(await opened(), new RegExp(`^${w.sim.origin}/s/81234567890\\?zak=[^\\s]+\\n$`));
  });
}
