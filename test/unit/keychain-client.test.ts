import '../harness/quiet-mock-timers';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZoomTrayError } from '../../main/lib/errors';
import { redact } from '../../main/lib/redact';
import { HEADLESS_KEYCHAIN_HELP, KeychainClient, type KeychainChannel, unavailableFix } from '../../main/session/keychain-client';
import { type KeychainReply, type KeychainRequest, keychainFailure } from '../../main/session/keychain-protocol';

/** A keychain process the test plays: it sees each request and answers (or not) as told. */
function fakeProcess(answer: (request: KeychainRequest) => KeychainReply | 'hang' | 'crash') {
  const spawned: { killed: boolean; held: boolean[] }[] = [];
  const spawn = (): KeychainChannel => {
    const me = { killed: false, held: [] as boolean[] };
    spawned.push(me);
    let onMessage: (reply: KeychainReply) => void = () => undefined;
    let onExit: (how: string) => void = () => undefined;
    return {
      post: (request) => {
        const reply = answer(request);
        if (reply === 'crash') setImmediate(() => onExit('signal SIGSEGV'));
        else if (reply !== 'hang') setImmediate(() => onMessage(reply));
      },
      onMessage: (listener) => void (onMessage = listener),
      onExit: (listener) => void (onExit = listener),
      hold: (held) => void me.held.push(held),
      kill: () => void (me.killed = true),
    };
  };
  return { spawn, spawned };
}

/** One turn of the event loop: what a fired timer set off (promise callbacks, the fake's queued answers) has run. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const keychainError = (pattern: RegExp) => (e: unknown) => e instanceof ZoomTrayError && e.kind === 'keychain' && e.exitCode === 5 && pattern.test(e.message);

test('a call the keychain never answers fails at the bound, not before, and the stuck process is replaced', async (t) => {
  // The bound is the client's own timer: on a mocked clock it falls due exactly, however loaded the machine.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let hang = true;
  const fake = fakeProcess((r) => (hang ? 'hang' : { id: r.id, ok: true, value: 'secret' }));
  const client = new KeychainClient({ spawn: fake.spawn, timeoutMs: 50 });
  let outcome: unknown = 'pending';
  client.get('svc', 'session').then(
    (value) => (outcome = value),
    (err: unknown) => (outcome = err),
  );
  t.mock.timers.tick(49);
  await settled();
  assert.equal(outcome, 'pending', 'failed before its bound');
  t.mock.timers.tick(1);
  await settled();
  assert.ok(keychainError(/did not answer within 0\.1 seconds \(is an unlock prompt waiting/)(outcome), `at its bound: ${String(outcome)}`);
  assert.equal(fake.spawned[0]?.killed, true, 'the stuck process is killed');
  hang = false;
  assert.equal(await client.get('svc', 'session'), 'secret');
  assert.equal(fake.spawned.length, 2, 'a fresh process answers the next call');
  client.close();
});

test('a keychain library that crashes takes only its own process down: the call fails with the reason, the next one works', async () => {
  let crash = true;
  const fake = fakeProcess((r) => (crash ? 'crash' : { id: r.id, ok: true, value: null }));
  const client = new KeychainClient({ spawn: fake.spawn, timeoutMs: 5000 });
  await assert.rejects(client.get('svc', 'session'), keychainError(/stopped unexpectedly \(signal SIGSEGV\)/));
  crash = false;
  assert.equal(await client.get('svc', 'session'), undefined);
  client.close();
});

test('a locked keychain and an absent one say different things to do', async () => {
  const fake = fakeProcess((r) =>
    r.op === 'get'
      ? { id: r.id, ok: false, message: 'Prompt dismissed', cause: 'locked' }
      : { id: r.id, ok: false, message: 'Secret Service: no result found', cause: 'unavailable' },
  );
  const client = new KeychainClient({ spawn: fake.spawn });
  await assert.rejects(client.get('svc', 'session'), keychainError(/locked and was not unlocked \(Prompt dismissed\)\. Unlock it/));
  const absent = await client.set('svc', 'session', 'x').then(() => assert.fail('resolved'), (err: unknown) => err);
  assert.ok(absent instanceof ZoomTrayError && absent.kind === 'keychain');
  assert.equal(absent.message, `The OS keychain is unavailable (Secret Service: no result found). ${unavailableFix(process.platform)}`);
  client.close();
});

test('an absent keychain on Linux points to the README\'s recipe for a shell with no desktop; elsewhere, to the OS keychain', () => {
  assert.equal(HEADLESS_KEYCHAIN_HELP, 'https://github.com/zoom-tray/zoom-tray#sign-in-without-a-desktop');
  const linux = unavailableFix('linux');
  assert.ok(linux.includes(HEADLESS_KEYCHAIN_HELP), linux);
  assert.match(linux, /gnome-keyring.*dbus-run-session/);
  for (const platform of ['darwin', 'win32'] as const) {
    const fix = unavailableFix(platform);
    assert.ok(!fix.includes('dbus') && !fix.includes('github.com'), fix);
    assert.match(fix, platform === 'darwin' ? /macOS Keychain/ : /Windows Credential Manager/);
  }
});

test('while nothing is pending the process does not hold the CLI open, and it ends when idle', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const fake = fakeProcess((r) => ({ id: r.id, ok: true, value: 'v' }));
  const client = new KeychainClient({ spawn: fake.spawn }); // idle after 10 s by default
  await client.get('svc', 'a');
  assert.deepEqual(fake.spawned[0]?.held, [true, false]);
  t.mock.timers.tick(9_999);
  assert.equal(fake.spawned[0]?.killed, false);
  t.mock.timers.tick(1);
  assert.equal(fake.spawned[0]?.killed, true);
  await client.get('svc', 'a');
  assert.equal(fake.spawned.length, 2);
  client.close();
});

test("the keychain library's messages are read for what the user should do", () => {
  // Seen from @napi-rs/keyring against gnome-keyring: frozen daemon, dismissed unlock prompt, no default collection.
  const frozen =
    'Platform failure: DBus error: Did not receive a reply. Possible causes include: the remote application did not send a reply, the message bus security policy blocked the reply, the reply timeout expired, or the network connection was broken.';
  assert.equal(keychainFailure(frozen), 'no-answer');
  assert.equal(keychainFailure("Couldn't access platform storage: Secret Service: unlock prompt was dismissed"), 'locked');
  assert.equal(keychainFailure("Couldn't access platform storage: Secret Service: no result found"), 'unavailable');
  assert.equal(keychainFailure('zbus error: Failed to connect to address `unix:path=/run/user/0/bus`: No such file or directory (os error 2)'), 'unavailable');
});

test('every secret read from the keychain is masked from then on, whichever account it belongs to and whoever reads it', async () => {
  // Opaque values: no shape rule masks them, only having seen them does.
  const other = { v: 2, account: 'other@example.com', refreshToken: 'other-refresh-7f3a9c', accessToken: 'other-access-2b8d4e', accessTokenExpiresAt: 1 };
  const cache = { v: 1, account: 'other@example.com', pmi: '5551234567', zak: 'other-zak-value-9e1f', zakExpiresAt: 1 };
  const legacy = { v: 1, refreshToken: 'legacy-refresh-4c2a1e', accessToken: 'legacy-access-6d5b3f', accessTokenExpiresAt: 1 };
  const entries: Record<string, string> = { session: JSON.stringify(other), 'start-cache': JSON.stringify(cache), 'client-id': 'a-client-secret-8a7b' };
  const fake = fakeProcess((r) => {
    if (r.op === 'get') return { id: r.id, ok: true, value: entries[r.account] ?? null };
    if (r.op === 'legacy-list') return { id: r.id, ok: true, value: [{ account: 'old@example.com', secret: JSON.stringify(legacy) }] };
    return { id: r.id, ok: true };
  });
  const client = new KeychainClient({ spawn: fake.spawn });
  const secrets = ['other-refresh-7f3a9c', 'other-access-2b8d4e', 'other-zak-value-9e1f', 'a-client-secret-8a7b', 'legacy-refresh-4c2a1e', 'legacy-access-6d5b3f', 'written-secret-0c9d8e'];
  const text = `${secrets.join(' ')} other@example.com 5551234567`;
  assert.equal(redact(text), text, 'not known before it is read');
  client.prefetch('svc', 'session');
  await client.get('svc', 'session');
  await client.get('svc', 'start-cache');
  await client.get('svc-client-secret', 'client-id');
  await client.legacyList('svc');
  await client.set('svc-calendars', 'work', 'written-secret-0c9d8e');
  assert.equal(redact(text), `${secrets.map(() => '[redacted]').join(' ')} other@example.com 5551234567`, 'every secret masked; who and the meeting ID are not secrets');
  client.close();
});
