import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

/** The fallback lock folder is checked with POSIX ownership, modes and symlinks, which Windows lacks. */
const POSIX_ONLY = process.platform === 'win32' ? 'POSIX ownership, modes and symlinks' : false;

// Real processes contending for one lock file; see test/fixtures/lock-child.ts for what each does.
const CHILD = path.resolve(__dirname, '../fixtures/lock-child.ts');
/** The children's staleMs (lock-child.ts). */
const CHILD_STALE_MS = 1_000;

interface Event {
  readonly event: string;
  readonly pid: number;
  /** µs on the machine's monotonic clock, as lock-child.ts records it. */
  readonly at: number;
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

async function tempDir(t: TestContext): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'refresh-lock-it-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

function start(t: TestContext, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  t.after(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
  return { child, exited };
}

function readLog(log: string): Event[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [event = '', pid = '', at = ''] = line.split(' ');
      assert.notEqual(event, 'error', line);
      return { event, pid: Number(pid), at: Number(at) };
    });
}

async function waitForLog(log: string, what: string, ready: (events: Event[]) => boolean, deadlineMs = 15_000): Promise<Event[]> {
  const deadline = performance.now() + deadlineMs;
  for (;;) {
    const events = readLog(log);
    if (ready(events)) return events;
    if (performance.now() > deadline) assert.fail(`no ${what} within ${deadlineMs} ms:\n${JSON.stringify(events)}`);
    await sleep(10);
  }
}

const count = (events: Event[], name: string) => events.filter((e) => e.event === name).length;

/** Enters and exits alternate, each exit by the process that entered, and no entry is timed before the previous exit. */
function assertOneAtATime(events: Event[]): void {
  let inside: Event | undefined;
  let lastExit = 0;
  for (const e of events) {
    if (e.event === 'enter') {
      assert.equal(inside, undefined, `${e.pid} entered while ${inside?.pid} was inside`);
      assert.ok(e.at >= lastExit, `${e.pid} entered at ${e.at}, before the previous exit at ${lastExit}`);
      inside = e;
    } else if (e.event === 'exit') {
      assert.equal(e.pid, inside?.pid, `${e.pid} exited without being inside`);
      inside = undefined;
      lastExit = e.at;
    }
  }
}

async function contend(t: TestContext, lock: string, log: string, processes: number, rounds: number, env?: NodeJS.ProcessEnv) {
  const children = Array.from({ length: processes }, () => start(t, [lock, log, 'contend', String(rounds)], env));
  await waitForLog(log, 'ready children', (events) => count(events, 'ready') >= processes);
  await fs.writeFile(`${log}.go`, '');
  const codes = await Promise.all(children.map((c) => c.exited));
  assert.deepEqual(codes, Array(processes).fill(0));
  return readLog(log);
}

test('6 processes contending for one lock hold it one at a time', async (t) => {
  const dir = await tempDir(t);
  const events = await contend(t, path.join(dir, 'data', 'refresh.lock'), path.join(dir, 'log'), 6, 3);
  assert.equal(count(events, 'enter'), 18);
  assert.equal(count(events, 'done'), 6);
  assertOneAtATime(events);
  assert.deepEqual(await fs.readdir(path.join(dir, 'data')), []);
});

test('a SIGKILLed holder’s lock is taken at once, and the 5 waiters racing to break it hold it one at a time', async (t) => {
  const dir = await tempDir(t);
  const lock = path.join(dir, 'refresh.lock');
  const log = path.join(dir, 'log');
  const holder = start(t, [lock, log, 'hold']);
  await waitForLog(log, 'holder inside', (events) => count(events, 'enter') === 1);
  const waiters = Array.from({ length: 5 }, () => start(t, [lock, log, 'contend', '1']));
  await waitForLog(log, 'ready children', (events) => count(events, 'ready') === 6);
  holder.child.kill('SIGKILL');
  await holder.exited;
  // Released together, the waiters all find the dead holder's lock and race to break it.
  const goAt = nowUs();
  await fs.writeFile(`${log}.go`, '');
  assert.deepEqual(await Promise.all(waiters.map((w) => w.exited)), [0, 0, 0, 0, 0]);
  const events = readLog(log).filter((e) => e.pid !== holder.child.pid);
  assert.equal(count(events, 'enter'), 5);
  assertOneAtATime(events);
  const firstEntry = events.find((e) => e.event === 'enter')?.at ?? Infinity;
  assert.ok(firstEntry - goAt < CHILD_STALE_MS * 1000, `first waiter entered ${(firstEntry - goAt) / 1000} ms after the go`);
});

test('with an unusable data folder, two processes share one private lock under the temp dir', { skip: POSIX_ONLY }, async (t) => {
  const dir = await tempDir(t);
  await fs.writeFile(path.join(dir, 'file'), '');
  const tmp = path.join(dir, 'tmp');
  await fs.mkdir(tmp);
  const lock = path.join(dir, 'file', 'data', 'refresh.lock'); // ENOTDIR: a parent is a file
  const events = await contend(t, lock, path.join(dir, 'log'), 2, 3, { ...process.env, TMPDIR: tmp });
  assert.equal(count(events, 'enter'), 6);
  assertOneAtATime(events);
  const fallback = path.join(tmp, `zoom-tray-${process.getuid?.() ?? ''}`.replace(/-$/, ''));
  assert.deepEqual(await fs.readdir(fallback), []);
  if (process.platform !== 'win32') assert.equal((await fs.stat(fallback)).mode & 0o777, 0o700);
});
