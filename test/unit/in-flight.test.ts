/**
 * The Electron host moves the app's clock on once nothing is in flight for two turns of the event
 * loop (electron-host.ts settle). Work it cannot see lets the warp run ahead of it: in the month soak
 * the refresh lock's release (a FileHandle's close) went unseen, and the list request after each
 * token refresh went out 3 to 20 minutes of app time late.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { withFileLock } from '../../main/session/refresh-lock';
import { nodeWorkInFlight } from '../harness/in-flight';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The most turns in a row `work` stayed unsettled while nothing was seen in flight. */
async function unseenTurns(work: Promise<unknown>): Promise<number> {
  let settled = false;
  void work.finally(() => (settled = true));
  let unseen = 0;
  let most = 0;
  while (!settled) {
    unseen = nodeWorkInFlight() ? 0 : unseen + 1;
    most = Math.max(most, unseen);
    await turn();
  }
  return most;
}

test('taking and releasing the refresh lock never looks idle for two turns before it is done', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'in-flight-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (let i = 0; i < 20; i++) {
    assert.ok((await unseenTurns(withFileLock(path.join(dir, 'session.lock'), async () => i))) < 2, `round ${i}`);
  }
});
