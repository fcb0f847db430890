import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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

/** Whether a process of that pid still runs: gone, or dead and not yet reaped by init (a zombie), is not. */
function running(pid: number): boolean {
  const state = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return state !== '' && !state.startsWith('Z');
}

// Why the keychain is a process of its own and not a worker thread: a thread blocked inside a native
// call (in the kernel, as here) cannot be stopped, and Node's process.exit() waits for it (it joins
// worker threads and the libuv pool), so the CLI would hang. A process is killed, and the CLI ends.
test('a keychain process stuck inside a call, in the kernel, is killed at the bound and the CLI process still ends with exit 5', { skip: process.platform === 'win32' ? 'a FIFO stands in for the stuck call' : false }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-stuck-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const fifo = path.join(dir, 'never-written');
  execFileSync('mkfifo', [fifo]);
  const caller = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../harness/keychain-caller.ts'), path.join(__dirname, '../harness/stuck-keychain.cjs'), fifo], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  caller.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  caller.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // The caller's bound is 1 s; 30 s tells a hang from a slow machine.
  const hung = setTimeout(() => caller.kill('SIGKILL'), 30_000);
  const [code] = (await once(caller, 'close')) as [number | null];
  clearTimeout(hung);
  const pid = Number(stdout.trim());
  t.after(() => void (running(pid) && process.kill(pid, 'SIGKILL')));
  assert.equal(code, 5, `the caller ended with exit 5, not hung or killed: ${stderr}`);
  assert.match(stderr, /^The OS keychain did not answer within 1 second/);
  assert.ok(pid > 0 && !running(pid), `the stuck keychain process (${pid}) was killed, not left behind`);
});
