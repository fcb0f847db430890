/**
 * The host's time warp (test/harness/time-warp.ts) behaves as on-time.test.ts relies on. It patches
 * this process's globals, as it does the Electron host's: node's test runner uses its own timers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installTimeWarp } from '../harness/time-warp';

const madeBefore = new Date(0);
const warp = installTimeWarp();

test('a jump moves Date.now() and new Date(); dates old and new stay Dates', async () => {
  const at = Date.now() + 3 * 60 * 60_000;
  await warp.jumpTo(at);
  assert.ok(Date.now() >= at && Date.now() < at + 10_000);
  assert.ok(new Date().getTime() >= at);
  assert.equal(new Date(5).getTime(), 5, 'a given time is kept');
  assert.ok(madeBefore instanceof Date && new Date() instanceof Date);
  assert.equal(typeof Date(), 'string');
  await assert.rejects(warp.jumpTo(at - 1), /only jumps forward/);
});

test('timers due by the jump fire inside it, in due order, at the new time; cleared and later ones do not', async () => {
  const fired: string[] = [];
  const start = Date.now();
  setTimeout(() => fired.push(`b ${Date.now() - start >= 60_000}`), 20_000);
  setTimeout(() => fired.push('a'), 10_000);
  clearTimeout(setTimeout(() => fired.push('cleared'), 5_000));
  const later = setTimeout(() => fired.push('later'), 120_000);
  let settled = false;
  setTimeout(() => new Promise<void>((resolve) => setImmediate(() => resolve(void (settled = true)))), 30_000);
  assert.equal(await warp.jumpTo(start + 60_000), 3);
  assert.deepEqual(fired, ['a', 'b true']);
  assert.equal(settled, true, 'what a timer returned is awaited');
  clearTimeout(later);
});

test('timers stay real: they run without a jump, unref() and refresh() work, one fired by a jump can be refreshed', { timeout: 5_000 }, async () => {
  const ran = await new Promise<boolean>((resolve) => setTimeout(resolve, 5, true).unref().ref());
  assert.equal(ran, true);
  let runs = 0;
  let rung = (): void => undefined;
  const timer = setTimeout(() => {
    runs++;
    rung();
  }, 50);
  await warp.jumpTo(Date.now() + 50);
  assert.equal(runs, 1);
  // As undici re-arms its tick timer: the real countdown starts again (a cleared Timeout would never ring).
  await new Promise<void>((resolve) => {
    rung = resolve;
    timer.refresh();
  });
  assert.equal(runs, 2);
});

/** As the host's settle: nothing is in flight once a turn of the loop has passed. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('runTo fires each timer at its own due time, in order, and what one sets on the way runs too', async () => {
  const start = Date.now();
  const seen: number[] = [];
  const tick = (): void => {
    seen.push(Date.now() - start);
    if (seen.length < 5) setTimeout(tick, 60_000);
  };
  setTimeout(tick, 60_000);
  const steps: number[] = [];
  const fired = await warp.runTo(start + 4.5 * 60_000, turn, (now) => steps.push(now - start));
  assert.equal(fired, 4);
  // Each at its minute (time flows on a little in real time between them).
  assert.deepEqual(seen.map((ms) => Math.floor(ms / 60_000)), [1, 2, 3, 4]);
  assert.ok(seen.every((ms) => ms % 60_000 < 5_000), JSON.stringify(seen));
  assert.equal(steps.length, 5, 'told each new time, and the end');
  assert.equal(warp.pending, 1, 'the fifth is still scheduled');
  await warp.runTo(start + 5 * 60_000 + 1000, turn);
  assert.equal(seen.length, 5);
  assert.equal(warp.pending, 0);
});

test("runTo waits for what a timer started (settle) before moving time on; timers/promises' waits are warped too", async () => {
  const { setTimeout: wait } = await import('node:timers/promises');
  const start = Date.now();
  const log: string[] = [];
  setTimeout(async () => {
    log.push('asked');
    await wait(2_000); // a retry's back-off: on the warped clock, not a real two seconds
    log.push(`retried ${Math.round((Date.now() - start) / 1000)}`);
  }, 10_000);
  setTimeout(() => log.push(`next ${Math.round((Date.now() - start) / 1000)}`), 11_000);
  const real = performance.now();
  await warp.runTo(start + 20_000, turn);
  assert.deepEqual(log, ['asked', 'next 11', 'retried 12']);
  assert.ok(performance.now() - real < 1_500, 'no real wait');
});

test('sleepTo fires the overdue timers at once, at the new time, then settles', async () => {
  const start = Date.now();
  const seen: number[] = [];
  setTimeout(() => seen.push(Date.now() - start), 60_000);
  setTimeout(() => seen.push(Date.now() - start), 120_000);
  assert.equal(await warp.sleepTo(start + 3_600_000, turn), 2);
  assert.ok(seen.length === 2 && seen.every((ms) => ms >= 3_600_000), JSON.stringify(seen));
});

test('a timer a jump fired lets go of its real countdown: the process is not held for its real delay', async () => {
  const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  for (let i = 0; i < 50; i++) setTimeout(() => undefined, 3_600_000);
  await warp.jumpTo(Date.now() + 3_600_000);
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => {
    const { setTimeout: real } = require('node:timers') as typeof import('node:timers');
    real(resolve, 20);
  });
  assert.ok(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length <= before + 1);
});
