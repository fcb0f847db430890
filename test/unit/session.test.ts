import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenSet } from '../../main/auth/oauth-client';
import { ZoomTrayError } from '../../main/lib/errors';
import type { SecretStore } from '../../main/session/secret-store';
import { SESSION_ACCOUNT } from '../../main/session/secret-store';
import { Session } from '../../main/session/session';

/** An in-memory keychain that records what was written, in order. */
function memoryStore(initial?: string): SecretStore & { value: string | undefined; log: string[] } {
  const store = {
    value: initial,
    log: [] as string[],
    get: async (account: string) => (account === SESSION_ACCOUNT ? store.value : undefined),
    set: async (account: string, secret: string) => {
      store.log.push(`set ${account}`);
      store.value = secret;
    },
    delete: async (account: string) => {
      store.log.push(`delete ${account}`);
      store.value = undefined;
    },
  };
  return store;
}

const expired = (n: number): TokenSet => ({ refreshToken: `refresh-${n}`, accessToken: `access-${n}`, accessTokenExpiresAt: Date.now() - 1000 });
const fresh = (n: number): TokenSet => ({ refreshToken: `refresh-${n}`, accessToken: `access-${n}`, accessTokenExpiresAt: Date.now() + 3_600_000 });
const entry = (tokens: TokenSet): string => JSON.stringify({ v: 2, account: 'jane@example.com', ...tokens });
const noLock = <T>(fn: () => Promise<T>): Promise<T> => fn();

const lost = (): ZoomTrayError => new ZoomTrayError('network', 'Could not reach Zoom: the connection dropped.', { maybeDelivered: true });
const rejected = (): ZoomTrayError => new ZoomTrayError('signed-out', 'Zoom ended this sign-in (Invalid Token!).', { tokenRejected: true });

test('concurrent renewals in one process share one refresh, even without a lock', async () => {
  const store = memoryStore(entry(expired(1)));
  const held: Array<() => void> = [];
  const session = new Session({
    store,
    lock: noLock,
    refresh: async () => {
      await new Promise<void>((resolve) => held.push(resolve));
      return fresh(2);
    },
  });
  const tokens = Promise.all(Array.from({ length: 5 }, () => session.current()));
  // Every caller has reached the keychain and the refresh by the time the I/O queue turns.
  await new Promise((resolve) => setImmediate(resolve));
  const refreshes = held.length;
  for (const release of held) release();
  assert.deepEqual(await tokens, Array(5).fill('access-2'));
  assert.equal(refreshes, 1);
});

test('the rotated refresh token is in the keychain before its access token is handed out', async () => {
  const store = memoryStore(entry(expired(1)));
  const session = new Session({ store, lock: noLock, refresh: async () => fresh(2) });
  const token = await session.current();
  assert.equal(token, 'access-2');
  assert.deepEqual(store.log, [`set ${SESSION_ACCOUNT}`]);
  assert.equal(JSON.parse(store.value ?? '{}').refreshToken, 'refresh-2');
});

test('a refresh answer lost after Zoom rotated: asked again, Zoom says the token is spent, so the user is told to sign in now', async () => {
  const store = memoryStore(entry(expired(1)));
  const calls: string[] = [];
  const session = new Session({
    store,
    lock: noLock,
    refresh: async (token) => {
      calls.push(token);
      throw calls.length === 1 ? lost() : rejected();
    },
  });
  await assert.rejects(session.current(), (e: unknown) => e instanceof ZoomTrayError && e.kind === 'signed-out' && /answer was lost/.test(e.message) && /zoom-tray login/.test(e.message));
  assert.deepEqual(calls, ['refresh-1', 'refresh-1'], 'asked once more with the same token');
  assert.equal(store.value, undefined, 'the dead sign-in is removed');
});

test('a refresh answer lost before Zoom acted: asking again succeeds and the sign-in lives on', async () => {
  const store = memoryStore(entry(expired(1)));
  let calls = 0;
  const session = new Session({
    store,
    lock: noLock,
    refresh: async () => {
      if (++calls === 1) throw lost();
      return fresh(2);
    },
  });
  assert.equal(await session.current(), 'access-2');
  assert.equal(JSON.parse(store.value ?? '{}').refreshToken, 'refresh-2');
});

test('a refresh that never left this computer is not repeated, and keeps the sign-in', async () => {
  const store = memoryStore(entry(expired(1)));
  let calls = 0;
  const session = new Session({
    store,
    lock: noLock,
    refresh: async () => {
      calls++;
      throw new ZoomTrayError('network', 'Could not reach Zoom: the connection was refused.', { maybeDelivered: false });
    },
  });
  await assert.rejects(session.current(), (e: unknown) => e instanceof ZoomTrayError && e.kind === 'network');
  assert.equal(calls, 1);
  assert.equal(JSON.parse(store.value ?? '{}').refreshToken, 'refresh-1');
});

test('when both answers are lost the error stays a network one and the token is kept', async () => {
  const store = memoryStore(entry(expired(1)));
  const session = new Session({
    store,
    lock: noLock,
    refresh: async () => {
      throw lost();
    },
  });
  await assert.rejects(session.current(), (e: unknown) => e instanceof ZoomTrayError && e.kind === 'network');
  assert.equal(JSON.parse(store.value ?? '{}').refreshToken, 'refresh-1');
});

test('after invalid_grant the keychain is re-read: a token rotated by another writer is adopted, not deleted', async () => {
  const store = memoryStore(entry(expired(1)));
  const session = new Session({
    store,
    lock: noLock,
    refresh: async (token) => {
      if (token === 'refresh-1') {
        store.value = entry(fresh(7)); // another writer, outside the lock, rotated first
        throw rejected();
      }
      throw new Error(`unexpected refresh with ${token}`);
    },
  });
  assert.equal(await session.current(), 'access-7');
  assert.equal(JSON.parse(store.value ?? '{}').refreshToken, 'refresh-7');
});

test('a rejected latest token is deleted; an unreadable entry is reported and left for login to replace', async () => {
  const store = memoryStore(entry(expired(1)));
  const session = new Session({ store, lock: noLock, refresh: async () => Promise.reject(rejected()) });
  await assert.rejects(session.current(), (e: unknown) => e instanceof ZoomTrayError && e.kind === 'signed-out');
  assert.equal(store.value, undefined);
  await assert.rejects(session.current(), /not signed in/);

  const broken = memoryStore('not json');
  await assert.rejects(new Session({ store: broken, lock: noLock, refresh: async () => fresh(2) }).current(), /cannot be read/);
  assert.equal(broken.value, 'not json');
});

test('sign-out: revoked, or refused by Zoom, deletes the entry; a network failure keeps it', async () => {
  const store = memoryStore(entry(fresh(1)));
  const session = new Session({ store, lock: noLock, refresh: async () => fresh(2) });
  await assert.rejects(session.signOut(async () => Promise.reject(new ZoomTrayError('network', 'offline'))), /offline/);
  assert.ok(store.value, 'kept while Zoom is unreachable');
  const out = await session.signOut(async () => Promise.reject(new ZoomTrayError('zoom', 'Zoom did not confirm the revocation (HTTP 503).')));
  assert.deepEqual(out, { account: 'jane@example.com', notRevoked: 'Zoom did not confirm the revocation (HTTP 503).' });
  assert.equal(store.value, undefined);
  assert.equal(await session.signOut(async () => undefined), undefined);
});

test('a renewed sign-in the keychain would not take stays the live one in memory, is saved when it can be, and the CLI hears of it', async () => {
  const store = memoryStore(entry(expired(1)));
  let refuse = true;
  const realSet = store.set;
  store.set = async (account, secret) => {
    if (refuse) throw new ZoomTrayError('keychain', 'The OS keychain did not answer in time.');
    return realSet(account, secret);
  };
  let n = 1;
  const spent = new Set<string>();
  const session = new Session({
    store,
    lock: noLock,
    refresh: async (token) => {
      if (spent.has(token)) throw rejected();
      spent.add(token);
      n++;
      return { ...fresh(n), accessTokenExpiresAt: Date.now() - 1 }; // expires at once: every call renews
    },
  });
  assert.equal(await session.current(), 'access-2', 'the call that renewed still works');
  await assert.rejects(session.flush(), (e: unknown) => e instanceof ZoomTrayError && e.kind === 'keychain' && /next run will have to sign in again/.test(e.message));
  // Renewing again must use the unsaved refresh-2, not the keychain's spent refresh-1.
  assert.equal(await session.current(), 'access-3');
  refuse = false;
  await session.flush();
  assert.equal(JSON.parse(store.value ?? '{}').refreshToken, 'refresh-3');
});

test('sign-out waits for a renewal under way elsewhere, then revokes and deletes what it saved: the sign-in does not come back', async () => {
  const store = memoryStore(entry(expired(1)));
  // One lock shared by two sessions, as the lock file is shared by two processes.
  let tail: Promise<unknown> = Promise.resolve();
  const lock = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
  let release: () => void = () => undefined;
  const renewing = new Session({
    store,
    lock,
    refresh: async () => {
      await new Promise<void>((resolve) => (release = resolve)); // Zoom's answer is on its way
      return fresh(2);
    },
  });
  const revoked: string[] = [];
  const leaving = new Session({ store, lock, refresh: async () => fresh(99) });
  const renewal = renewing.current();
  await new Promise((resolve) => setImmediate(resolve));
  const signOut = leaving.signOut(async (token) => void revoked.push(token));
  release();
  assert.equal(await renewal, 'access-2');
  assert.deepEqual(await signOut, { account: 'jane@example.com' });
  assert.deepEqual(revoked, ['access-2'], 'the renewed grant is the one revoked');
  assert.equal(store.value, undefined, 'and nothing is left in the keychain');
});

test("an entry holding another account's sign-in serves nobody else: signed out, nothing refreshed, revoked or deleted", async () => {
  const store = memoryStore(entry(expired(1))); // jane@example.com's, in the entry this session expects bob in
  let ended = 0;
  const session = new Session({
    store,
    lock: noLock,
    expected: 'bob@example.com',
    ended: () => void ended++,
    refresh: async () => assert.fail('no refresh with another account\'s token'),
  });
  await assert.rejects(session.current(), (err) => err instanceof ZoomTrayError && err.kind === 'signed-out');
  assert.equal(ended, 1, 'told, so the account leaves the list');
  assert.equal(await session.account(), undefined);
  assert.equal(await session.signOut(async () => assert.fail('no revocation of another account')), undefined);
  assert.deepEqual(store.log, []);
  const own = new Session({ store, lock: noLock, expected: 'JANE@example.com', refresh: async () => fresh(2) });
  assert.equal(await own.current(), 'access-2', 'its own account, however its e-mail is written');
});
