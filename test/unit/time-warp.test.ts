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
