/**
 * The Electron double's utility process, as the month soak's host sees it: a keychain helper the app
 * told to end is work in flight until it has exited. Otherwise the host measured the evening's
 * handles while the helper its 10-second idle timer had just stopped was still exiting, and "handles
 * end where they began" read 4 -> 6 in one run of two.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { utilityProcess, utilityWorkInFlight } from '../harness/electron-double';

test('a utility process told to end is in flight until it has exited', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'utility-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const idle = path.join(dir, 'idle.cjs');
  await writeFile(idle, 'setInterval(() => undefined, 60_000);\n');
  const child = utilityProcess.fork(idle);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  assert.equal(utilityWorkInFlight(), false, 'idle, not asked anything');
  child.kill();
  assert.equal(utilityWorkInFlight(), true);
  await exited;
  assert.equal(utilityWorkInFlight(), false);
});
