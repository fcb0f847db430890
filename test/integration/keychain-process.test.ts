import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { forkKeychain, KeychainClient } from '../../main/session/keychain-client';
import { forkKeychainProcess } from '../../main/session/keychain-process';

test('a keychain process the CLI started early but that ended before it was adopted is replaced, not waited on', async (t) => {
  const early = forkKeychainProcess();
  early.kill('SIGKILL');
  await once(early, 'exit');
  // A short bound: waiting on the dead process would fail with "did not answer", not answer.
  const client = new KeychainClient({ spawn: () => forkKeychain(early), timeoutMs: 5_000 });
  t.after(() => client.close());
  assert.equal(await client.get(`zoom-tray-test-absent-${process.pid}`, 'session'), undefined);
});

test('the early keychain process is adopted, not started twice', async (t) => {
  const early = forkKeychainProcess();
  let spawned = 0;
  const client = new KeychainClient({
    spawn: () => {
      spawned++;
      return forkKeychain(spawned === 1 ? early : undefined);
    },
  });
  t.after(() => client.close());
  client.prefetch(`zoom-tray-test-absent-${process.pid}`, 'session');
  assert.equal(await client.get(`zoom-tray-test-absent-${process.pid}`, 'session'), undefined);
  assert.equal(spawned, 1);
  client.close();
  assert.equal(early.killed, true, 'the early process was the one answering');
});
