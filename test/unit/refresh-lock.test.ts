import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { existsSync, readdirSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZoomTrayError } from '../../main/lib/errors';
import { type LockOptions, withFileLock } from '../../main/session/refresh-lock';
import { within } from '../harness/within';

/** The fallback lock folder is checked with POSIX ownership, modes and symlinks, which Windows lacks. */
const POSIX_ONLY = process.platform === 'win32' ? 'POSIX ownership, modes and symlinks' : false;

/** Above Linux's pid_max (2^22) and macOS's 99999, and not a multiple of 4 (Windows): never a live process. */
const DEAD_PID = 2 ** 22 + 1;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'refresh-lock-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

function writeLock(file: string, owner: { pid: number; host?: string } | undefined): Promise<void> {
  const text = owner ? JSON.stringify({ pid: owner.pid, host: owner.host ?? os.hostname(), nonce: 'left-behind' }) : '';
  return fs.writeFile(file, text);
}

/** Records critical sections of concurrent lock holders and counts the times two were inside at once. */
function sections() {
  const events: string[] = [];
  let inside = 0;
  let overlaps = 0;
  return {
    events,
    overlaps: () => overlaps,
    async run<T>(id: string, work: () => Promise<T>): Promise<T> {
      if (++inside > 1) overlaps++;
      events.push(`enter ${id}`);
      try {
        return await work();
      } finally {
        events.push(`exit ${id}`);
        inside--;
      }
    },
  };
}

/**
 * The waiters' clock (performance.now, which the lock reads for staleness and its deadline), moved
 * only by the test. How long a waiter has watched a heartbeat stand still is then what the test
 * says, however late a loaded machine runs the real timers (heartbeats, polls) around it.
 */
function waiterClock(t: TestContext): { now: () => number; advance: (ms: number) => void } {
  let now = 0;
  t.mock.method(performance, 'now', () => now);
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** Runs `before` each time a waiter opens `file` to look at it (its holder and its own create never do). */
function beforeEachLook(t: TestContext, file: string, before: () => Promise<void> | void): void {
  const realOpen = fs.open.bind(fs);
  t.mock.method(fs, 'open', async (...args: Parameters<typeof fs.open>) => {
    if (args[0] === file && args[1] === 'r') await before();
    return realOpen(...args);
  });
}

/** The lock held in the background until `release()`; `inside` settles once its holder runs. */
function holding(file: string, options?: LockOptions, log?: ReturnType<typeof sections>) {
  let entered = () => {};
  let release = () => {};
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const hold = () => {
    entered();
    return new Promise<void>((resolve) => (release = resolve));
  };
  const done = withFileLock(file, () => (log ? log.run('holder', hold) : hold()), options);
  return { inside, done, release: () => release() };
}

function isLocalError(pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof ZoomTrayError, `not a ZoomTrayError: ${String(err)}`);
    assert.equal(err.kind, 'local');
    assert.equal(err.exitCode, 8);
    assert.match(err.message, pattern);
    return true;
  };
}

test('a live holder is never judged stale: its heartbeat keeps waiters out until it releases', async (t) => {
  const file = path.join(await tempDir(t), 'refresh.lock');
  const log = sections();
  const staleMs = 1_000;
  const clock = waiterClock(t);
  const holder = holding(file, { heartbeatMs: 10 }, log);
  await holder.inside;
  // The waiter's clock moves a quarter of staleMs at each look that follows a heartbeat, so by it a
  // beating lock never stands still for staleMs: only a heartbeat that stops, or a stale check that
  // overlooks it, lets the waiter in early. The holder lets go once the waiter has watched it for
  // five times staleMs.
  let lastBeat: bigint | undefined;
  let lastBeatAt = Date.now();
  let stoodStill = false;
  beforeEachLook(t, file, async () => {
    const mtime = (await fs.stat(file, { bigint: true }).catch(() => undefined))?.mtimeNs;
    if (mtime === undefined) return;
    if (mtime !== lastBeat) {
      lastBeat = mtime;
      lastBeatAt = Date.now();
      clock.advance(staleMs / 4);
    } else if (Date.now() - lastBeatAt > 20_000) {
      // Real time, far beyond any delay of a 10 ms timer: a heartbeat that stopped ends the test instead of hanging it.
      stoodStill = true;
      holder.release();
    }
    if (clock.now() >= 5 * staleMs) holder.release();
  });
  // A waiter that got in early lets the holder go too, so the test ends and reports the overlap.
  await withFileLock(file, () => log.run('waiter', async () => holder.release()), { staleMs });
  await holder.done;
  assert.equal(stoodStill, false, "the holder's heartbeat stood still for 20 s");
  assert.deepEqual(log.events, ['enter holder', 'exit holder', 'enter waiter', 'exit waiter']);
});

test('a lock whose holder is gone is taken at once: dead pid, or our own pid from a previous process', async (t) => {
  const dir = await tempDir(t);
  for (const pid of [DEAD_PID, process.pid]) {
    const file = path.join(dir, `refresh-${pid}.lock`);
    await writeLock(file, { pid });
    // Its heartbeat would count as stale only after an hour, and the waiter gives up after 2 s: only
    // a waiter that sees the holder is gone gets in, and it does so on its first look, however slow.
    assert.equal(await withFileLock(file, async () => 'taken', { staleMs: 3_600_000, timeoutMs: 2_000 }), 'taken', `pid ${pid}`);
  }
});

test('a lock that names a live unrelated pid, another machine or no one is taken once its heartbeat stood still for staleMs', async (t) => {
  const dir = await tempDir(t);
  const staleMs = 1_000;
  const step = 100;
  const cases = { 'live unrelated pid': { pid: process.ppid }, 'other machine': { pid: DEAD_PID, host: 'elsewhere' }, 'no record': undefined };
  for (const [name, owner] of Object.entries(cases)) {
    await t.test(name, async (t) => {
      const file = path.join(dir, `${name}.lock`);
      await writeLock(file, owner);
      // Nothing beats; each look of the waiter's comes `step` later on its clock.
      const clock = waiterClock(t);
      let firstLook: number | undefined;
      beforeEachLook(t, file, () => {
        clock.advance(step);
        firstLook ??= clock.now();
      });
      const takenAt = await withFileLock(file, async () => clock.now(), { staleMs, timeoutMs: 10 * staleMs });
      const watched = takenAt - (firstLook ?? Number.NaN);
      assert.ok(watched >= staleMs, `broken after it stood still for ${watched} ms`);
      // The look that finds it stale comes at most a step after staleMs; the breaker's second look under the turn is one more.
      assert.ok(watched <= staleMs + 2 * step, `still waiting ${watched - staleMs} ms after it went stale`);
    });
  }
});

test('a heartbeat is judged by its movement, not its age: a lock beating with a clock an hour behind is not broken', async (t) => {
  const file = path.join(await tempDir(t), 'refresh.lock');
  await writeLock(file, { pid: process.ppid });
  const staleMs = 1_000;
  const clock = waiterClock(t);
  // As seen after waking from sleep, or on a file server whose clock differs from ours.
  const hourAgo = Date.now() / 1000 - 3600;
  let beats = 0;
  beforeEachLook(t, file, async () => {
    // Half of staleMs passes between looks: two looks at an unmoved heartbeat are enough to break in.
    clock.advance(staleMs / 2);
    // The holder beats 12 times, each just before a look of the waiter's wait; none lands between a
    // breaker's judgment and its second look under the turn, where it would hide a wrong judgment.
    if (beats < 12 && !existsSync(`${file}.break`)) {
      beats++;
      await fs.utimes(file, hourAgo + beats, hourAgo + beats);
    }
  });
  await withFileLock(file, async () => assert.equal(beats, 12, 'broke in while the holder was beating'), { staleMs });
});

test('waiters racing to break a crashed holder’s lock hold it one at a time', async (t) => {
  const dir = await tempDir(t);
  const log = sections();
  for (let round = 0; round < 6; round++) {
    const file = path.join(dir, `round-${round}.lock`);
    await writeLock(file, { pid: DEAD_PID });
    await Promise.all(Array.from({ length: 6 }, (_, i) => withFileLock(file, () => log.run(`${round}.${i}`, () => sleep(2)))));
  }
  assert.equal(log.overlaps(), 0, 'two holders at once');
  assert.equal(log.events.length, 6 * 6 * 2);
});

test('a lock replaced between a waiter’s look and its turn to break it is left alone', async (t) => {
  const file = path.join(await tempDir(t), 'refresh.lock');
  await writeLock(file, { pid: DEAD_PID });
  const log = sections();
  const realOpen = fs.open.bind(fs);
  let holder: ReturnType<typeof holding> | undefined;
  let replaced = false;
  let holderLockSurvived: boolean | undefined;
  let waiterRetried = () => {};
  const retried = new Promise<void>((resolve) => (waiterRetried = resolve));
  t.mock.method(fs, 'open', async (...args: Parameters<typeof fs.open>) => {
    if (args[0] === `${file}.break` && !holder) {
      // The waiter judged the crashed lock stale; before its turn, someone else breaks it and a live holder takes it.
      await fs.unlink(file);
      holder = holding(file, {}, log);
      await holder.inside;
      void retried.then(holder.release);
      replaced = true;
    } else if (replaced && args[0] === file && args[1] === 'wx') {
      // The waiter's turn is over: the live holder's lock must have survived it.
      holderLockSurvived ??= existsSync(file);
      waiterRetried();
    }
    return realOpen(...args);
  });
  await withFileLock(file, () => log.run('waiter', async () => undefined));
  await holder?.done;
  assert.equal(holderLockSurvived, true);
  assert.deepEqual(log.events, ['enter holder', 'exit holder', 'enter waiter', 'exit waiter']);
});

test('a stale lock is not broken while another live waiter holds the turn to break it', async (t) => {
  const file = path.join(await tempDir(t), 'refresh.lock');
  await writeLock(file, { pid: DEAD_PID });
  await writeLock(`${file}.break`, { pid: process.ppid });
  const staleMs = 300;
  const started = performance.now();
  await withFileLock(file, async () => undefined, { staleMs });
  // The turn holder looks alive, so only its standing still for staleMs lets the waiter break in.
  assert.ok(performance.now() - started >= staleMs);
  assert.equal(existsSync(`${file}.break`), false);
});

test('release removes only our own lock, not the one that replaced it', async (t) => {
  const file = path.join(await tempDir(t), 'refresh.lock');
  const next = JSON.stringify({ pid: process.ppid, host: os.hostname(), nonce: 'next-holder' });
  await withFileLock(file, async () => {
    // As if a waiter had judged us stale, broken our lock and taken its own.
    await fs.unlink(file);
    await fs.writeFile(file, next);
  });
  assert.equal(await fs.readFile(file, 'utf8'), next);
});

test('a waiter gives up after timeoutMs with a local error that names the holder and the fix', async (t) => {
  const file = path.join(await tempDir(t), 'refresh.lock');
  const holder = holding(file);
  t.after(holder.release);
  await holder.inside;
  // staleMs far beyond timeoutMs: however late the holder's heartbeat runs, the waiter gives up first.
  const waiter = withFileLock(file, async () => undefined, { timeoutMs: 300, staleMs: 60_000 });
  await assert.rejects(within(20_000, 'rejection from the waiter', waiter), isLocalError(new RegExp(`pid ${process.pid}\\).*still running.*quit that process`)));
  assert.ok(existsSync(file), 'the live holder keeps its lock');
  holder.release();
  await holder.done;
});

test('fn’s errors propagate unchanged, and nothing is left behind: no lock file, timer or open file', async (t) => {
  const file = path.join(await tempDir(t), 'refresh.lock');
  const openFiles = () => (process.platform === 'linux' ? readdirSync('/proc/self/fd').length : 0);
  const fdsBefore = openFiles();
  const timers = new Set<number>();
  const hook = createHook({
    init: (id, type) => void (type === 'Timeout' && timers.add(id)),
    destroy: (id) => void timers.delete(id),
  }).enable();
  const boom = new Error('boom');
  try {
    // Contended, so the waiter polls and both beat.
    let entered = () => {};
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = withFileLock(
      file,
      () => {
        entered();
        return sleep(100).then(() => 'first');
      },
      { heartbeatMs: 10 },
    );
    await inside;
    const second = withFileLock(file, () => Promise.reject(boom), { heartbeatMs: 10 });
    assert.equal(await first, 'first');
    await assert.rejects(second, (err) => err === boom);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    hook.disable();
  }
  assert.equal(timers.size, 0, 'timers left behind');
  assert.equal(openFiles(), fdsBefore, 'file handles left open');
  assert.deepEqual(await fs.readdir(path.dirname(file)), []);
});

test('an unusable data folder moves the lock to a private folder under the temp dir', { skip: POSIX_ONLY }, async (t) => {
  const dir = await tempDir(t);
  const tmp = path.join(dir, 'tmp');
  await fs.mkdir(tmp);
  await fs.writeFile(path.join(dir, 'file'), '');
  const file = path.join(dir, 'file', 'data', 'refresh.lock'); // ENOTDIR: a parent is a file
  const fallback = path.join(tmp, `zoom-tray-${process.getuid?.() ?? ''}`.replace(/-$/, ''));
  const log = sections();
  await inTmpdir(tmp, () =>
    Promise.all(
      [1, 2, 3].map((i) =>
        withFileLock(file, () =>
          log.run(String(i), async () => {
            assert.ok(existsSync(path.join(fallback, 'refresh.lock')));
            await sleep(20);
          }),
        ),
      ),
    ),
  );
  assert.equal(log.overlaps(), 0, 'two holders at once');
  assert.equal(log.events.length, 6);
  if (process.platform !== 'win32') assert.equal((await fs.stat(fallback)).mode & 0o777, 0o700);
});

test('a fallback folder planted by someone else is refused with a local error naming the data folder and the fix', { skip: POSIX_ONLY }, async (t) => {
  const dir = await tempDir(t);
  const uid = process.getuid?.();
  if (uid === undefined) return t.skip('POSIX ownership only');
  const dataDir = path.join(dir, 'file', 'data');
  await fs.writeFile(path.join(dir, 'file'), '');
  const elsewhere = path.join(dir, 'elsewhere');
  await fs.mkdir(elsewhere, { mode: 0o700 });
  const plants: Record<string, (at: string) => Promise<void>> = {
    'a symlink': (at) => fs.symlink(elsewhere, at),
    'a folder open to others': (at) => fs.mkdir(at, { mode: 0o700 }).then(() => fs.chmod(at, 0o777)),
    ...(uid === 0 ? { 'a folder of another user': (at: string) => fs.mkdir(at, { mode: 0o700 }).then(() => fs.chown(at, 4321, 4321)) } : {}),
    'a file': (at) => fs.writeFile(at, ''),
  };
  for (const [name, plant] of Object.entries(plants)) {
    const tmp = path.join(dir, name);
    await fs.mkdir(tmp);
    await plant(path.join(tmp, `zoom-tray-${uid}`));
    await assert.rejects(
      inTmpdir(tmp, () => withFileLock(path.join(dataDir, 'refresh.lock'), async () => assert.fail(`${name}: fn ran`))),
      isLocalError(new RegExp(`${escape(dataDir)} \\(a file is in the way\\).*ZOOM_TRAY_DATA_DIR`)),
    );
    assert.deepEqual(await fs.readdir(elsewhere), [], `${name}: wrote through the plant`);
  }
});

test('a lock path that cannot be read gives a local error naming it, never a raw errno', { skip: POSIX_ONLY }, async (t) => {
  const file = path.join(await tempDir(t), 'refresh.lock');
  await fs.mkdir(file);
  await assert.rejects(
    withFileLock(file, async () => assert.fail('fn ran')),
    (err) => isLocalError(new RegExp(`read its refresh lock ${escape(file)} \\(a folder is in the way\\)`))(err) && (err as Error).cause !== undefined,
  );
});

/** Runs `fn` with os.tmpdir() pointing at `dir`. */
async function inTmpdir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
