/**
 * `zoom-tray calendar` as users run it: the real CLI process, the real private keychain, the
 * fixtures served over loopback HTTP by the feed server. The CLI's clock is pinned to the fixtures'
 * week (test/harness/pinned-clock.cjs). No calendar address may appear in any output, the log, or
 * any file of the data folder.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Env } from '../../main/core/config';
import { FIXTURES, fixtureText, PINNED_NOW } from '../harness/calendar-fixtures';
import { CLI, type CliResult } from '../harness/cli-process';
import { type FeedServer, startFeedServer } from '../harness/feed-server';
import { signedIn, type World } from '../harness/fixtures';
import { cliWithoutLeaks } from '../harness/integration';

const PRELOAD = path.join(__dirname, '../harness/pinned-clock.cjs');

interface Setup {
  readonly w: World;
  readonly feeds: FeedServer;
  readonly env: Env;
  /** Runs the CLI; fails the test if any feed's secret token shows in its output. */
  cli(args: readonly string[], env?: Env): Promise<CliResult>;
  /** The calendars as the list file has them. */
  listed(): Promise<{ name: string; host: string }[]>;
}

/** Signed in as jane.doe@example.com (whose declines are hers), the fixtures served, the log at debug. */
async function setup(t: TestContext): Promise<Setup> {
  const w = await signedIn(t);
  const feeds = await startFeedServer(t);
  for (const name of FIXTURES) feeds.serve(name, fixtureText(name));
  const env: Env = { ...w.env, ZOOM_TRAY_LOG: 'debug', NODE_OPTIONS: `--require ${PRELOAD}`, ZOOM_TRAY_TEST_NOW: PINNED_NOW.toISOString() };
  const listFile = path.join(w.dataDir, `calendars-${w.keychainService}.json`);
  const listed = async (): Promise<{ id: string; name: string; host: string }[]> =>
    ((JSON.parse(await readFile(listFile, 'utf8').catch(() => '{"calendars":[]}')) as { calendars: { id: string; name: string; host: string }[] }).calendars);
  const cli = async (args: readonly string[], runEnv: Env = env): Promise<CliResult> => {
    const result = await cliWithoutLeaks([w.sim], args, runEnv);
    for (const secret of feeds.secrets()) assert.ok(!`${result.stdout}${result.stderr}`.includes(secret), `zoom-tray ${args.join(' ')} shows a feed's address`);
    return result;
  };
  return { w, feeds, env, cli, listed: async () => (await listed()).map(({ name, host }) => ({ name, host })) };
}

/** Every file under the data folder (the log included), for addresses that must not be there. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

test('calendar add says how many Zoom meetings each provider\'s feed has this week; list shows names and hosts only; remove forgets one and its address; nothing anywhere holds an address', async (t) => {
  const { w, feeds, cli, listed, env } = await setup(t);
  const host = new URL(feeds.origin).host;
  const expected = { google: 4, outlook: 6, icloud: 2 };
  for (const name of FIXTURES) {
    const added = await cli(['calendar', 'add', feeds.address(name), '--name', name]);
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stderr, `Added calendar "${name}" (${host}): ${expected[name]} Zoom meetings from an hour ago to 7 days ahead.\n`);
    assert.equal(added.stdout, '');
  }
  // Without --name: the host's name ("Google" for calendar.google.com; here the loopback address), numbered when taken.
  const unnamed = await cli(['calendar', 'add', feeds.address('google')]);
  assert.equal(unnamed.code, 0, unnamed.stderr);
  assert.match(unnamed.stderr, /^Added calendar "127\.0\.0\.1" /);
  const again = await cli(['calendar', 'add', feeds.address('icloud')]);
  assert.match(again.stderr, /^Added calendar "127\.0\.0\.1 2" /);
  // A name taken already (any case) is refused before anything is fetched.
  const before = feeds.stats('google').requests;
  const taken = await cli(['calendar', 'add', feeds.address('google'), '--name', 'GOOGLE']);
  assert.equal(taken.code, 2);
  assert.match(taken.stderr, /A calendar named "GOOGLE" is already in the list/);
  assert.equal(feeds.stats('google').requests, before);

  const json = await cli(['calendar', 'list', '--json']);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout), [
    { name: 'google', host },
    { name: 'outlook', host },
    { name: 'icloud', host },
    { name: '127.0.0.1', host },
    { name: '127.0.0.1 2', host },
  ]);
  assert.ok(!json.stdout.includes('/calendar/ical') && !json.stdout.includes('?'), 'no path, no query');
  const text = await cli(['calendar', 'list']);
  assert.equal(text.stdout.split('\n')[1], `outlook  ${host}`);

  const removed = await cli(['calendar', 'remove', 'OUTLOOK']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(removed.stderr, `Removed calendar "outlook" (${host}) and its address.\n`);
  assert.deepEqual((await listed()).map((c) => c.name), ['google', 'icloud', '127.0.0.1', '127.0.0.1 2']);
  const unknown = await cli(['calendar', 'remove', 'outlook']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /Calendar "outlook" is not in zoom-tray's list \(calendars: "google", "icloud", "127\.0\.0\.1", "127\.0\.0\.1 2"\)/);

  // At debug level the log says what was asked (host, status), and no file in the data folder holds an address.
  const log = await readFile(path.join(w.dataDir, 'zoom-tray.log'), 'utf8');
  assert.match(log, new RegExp(`calendar google: GET ${host.replace(/\./g, '\\.')} → 200 in \\d+ ms`));
  for (const file of await filesUnder(w.dataDir)) {
    const content = await readFile(file, 'utf8');
    for (const secret of feeds.secrets()) assert.ok(!content.includes(secret), `${path.relative(w.dataDir, file)} holds a feed's address`);
    assert.ok(!content.includes('/calendar/ical/'), `${path.relative(w.dataDir, file)} holds a feed's path`);
  }
  assert.equal(env.ZOOM_TRAY_LOG, 'debug');
});

test('a feed that cannot be used exits non-zero, says why, and keeps nothing: a web page, 5 MB, a reset address (9), an unreachable one (6)', async (t) => {
  const { w, feeds, cli, listed } = await setup(t);
  const host = new URL(feeds.origin).host;
  feeds.mode('signin', 'html');
  feeds.mode('huge', 'huge');
  feeds.mode('gone', 'gone');
  const cases: [string, number, RegExp][] = [
    ['signin', 9, /^zoom-tray: calendar "signin" \(127\.0\.0\.1:\d+\) did not answer with a calendar \(it sent a web page, perhaps a sign-in page\)/],
    ['huge', 9, /^zoom-tray: calendar "huge" \(127\.0\.0\.1:\d+\) is larger than 4 MB, which zoom-tray does not read/],
    ['gone', 9, /^zoom-tray: The address of calendar "gone" \(127\.0\.0\.1:\d+\) no longer works \(HTTP 404\)/],
  ];
  for (const [name, code, stderr] of cases) {
    const run = await cli(['calendar', 'add', feeds.address(name), '--name', name]);
    assert.equal(run.code, code, `${name}: ${run.stderr}`);
    assert.match(run.stderr, stderr, name);
  }
  await feeds.close();
  const offline = await cli(['calendar', 'add', feeds.address('google'), '--name', 'offline']);
  assert.equal(offline.code, 6, offline.stderr);
  assert.equal(offline.stderr, `zoom-tray: Could not reach calendar "offline" (${host}): the connection was refused. Check your connection; zoom-tray asks again later.\n`);
  // Nothing listed (the keychain is written only after the feed was read: the unit tests of CalendarList).
  assert.deepEqual(await listed(), []);
  const log = await readFile(path.join(w.dataDir, 'zoom-tray.log'), 'utf8');
  for (const secret of feeds.secrets()) assert.ok(!log.includes(secret), 'the log holds an address');
});

test('calendar list says when the list file cannot be read, naming it; the next add keeps it aside and the log says what it may leave in the keychain', async (t) => {
  const { w, feeds, cli, listed } = await setup(t);
  const file = path.join(w.dataDir, `calendars-${w.keychainService}.json`);
  await writeFile(file, '{"v":1,"calendars":[{"id":"aa11bb22cc33dd44","name":"Work","ho');
  const warning = `zoom-tray: warning: the calendar list ${file} is not valid: no calendar is read from it. The next \`zoom-tray calendar add\` keeps it aside (as a .bad-… file beside it) and starts a new list.\n`;
  const text = await cli(['calendar', 'list']);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stderr, warning);
  assert.equal(text.stdout, '');
  const json = await cli(['calendar', 'list', '--json']);
  assert.equal(json.code, 0, json.stderr);
  assert.equal(json.stderr, warning);
  assert.deepEqual(JSON.parse(json.stdout), []);
  const added = await cli(['calendar', 'add', feeds.address('google'), '--name', 'google']);
  assert.equal(added.code, 0, added.stderr);
  assert.deepEqual((await listed()).map((c) => c.name), ['google']);
  assert.equal((await readdir(w.dataDir)).filter((f) => f.startsWith(`calendars-${w.keychainService}.json.bad-`)).length, 1);
  const log = await readFile(path.join(w.dataDir, 'zoom-tray.log'), 'utf8');
  assert.match(log, /kept as calendars-.*\.json\.bad-[0-9a-f]{8}\. The addresses of the calendars it listed \(1 calendar\) may remain in the keychain, service ".*-calendar", one entry per calendar id \(aa11bb22cc33dd44\)/);
  const after = await cli(['calendar', 'list']);
  assert.equal(after.stderr, '', 'a list that reads again: no warning');
});

test("calendar add - reads the address from standard input: it stays out of the process list and the shell's history", async (t) => {
  const { feeds, env, listed } = await setup(t);
  const child = spawn(process.execPath, [CLI, 'calendar', 'add', '-', '--name', 'Work'], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(`${feeds.address('outlook')}\n`);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, stderr);
  assert.match(stderr, /^Added calendar "Work" \(127\.0\.0\.1:\d+\): 6 Zoom meetings/);
  assert.deepEqual((await listed()).map((c) => c.name), ['Work']);
});
