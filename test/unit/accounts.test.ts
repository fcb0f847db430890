import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { isZoomTrayError } from '../../main/lib/errors';
import { AccountIndex, refreshLockFile, startCacheEntry } from '../../main/session/accounts';

async function folder(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-accounts-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const noLegacy = async (): Promise<string | undefined> => undefined;

test('a single-account sign-in from before becomes the default account, with its entry as it was', async (t) => {
  const dir = await folder(t);
  let asked = 0;
  const index = new AccountIndex(dir, 'svc', async () => {
    asked++;
    return 'jane@example.com';
  });
  const list = await index.load();
  assert.deepEqual(list.accounts, [{ email: 'jane@example.com', cloud: 'commercial', entry: 'session' }]);
  assert.equal(list.default?.email, 'jane@example.com');
  assert.deepEqual(await index.load(), list);
  assert.equal(asked, 1, 'written once, then read from the file');
});

test('the first account keeps the entry "session"; more accounts get their own; the default stays until changed', async (t) => {
  const index = new AccountIndex(await folder(t), 'svc', noLegacy);
  const saved: string[] = [];
  const save = async (entry: string): Promise<void> => void saved.push(entry);
  const jane = await index.add('commercial', 'jane@example.com', save);
  const bob = await index.add('gov', 'Bob@Agency.gov', save);
  const again = await index.add('commercial', 'JANE@example.com', save);
  assert.deepEqual(saved, ['session', 'session:gov:bob@agency.gov', 'session']);
  assert.equal(again.entry, jane.entry);
  let list = await index.load();
  assert.deepEqual(list.accounts.map((a) => a.email), ['JANE@example.com', 'Bob@Agency.gov']);
  assert.equal(list.default?.entry, 'session');
  await index.setDefault(bob);
  assert.equal((await index.load()).default?.email, 'Bob@Agency.gov');
  list = await index.forget(bob);
  assert.equal(list.default?.entry, 'session', 'the default moves to an account left');
  assert.deepEqual(startCacheEntry(bob.entry), 'start-cache:gov:bob@agency.gov');
  assert.equal(startCacheEntry('session'), 'start-cache');
  assert.notEqual(refreshLockFile('/d', 'svc', bob.entry), refreshLockFile('/d', 'svc', 'session'), 'one refresh lock per account');
});

test('a keychain write that fails adds nothing to the list', async (t) => {
  const index = new AccountIndex(await folder(t), 'svc', noLegacy);
  await assert.rejects(index.add('commercial', 'jane@example.com', async () => Promise.reject(new Error('locked'))), /locked/);
  assert.deepEqual((await index.load()).accounts, []);
});

test('naming an account: unknown or on both clouds is a usage error that says what to do', async (t) => {
  const index = new AccountIndex(await folder(t), 'svc', noLegacy);
  await index.add('commercial', 'jane@example.com', async () => undefined);
  await index.add('gov', 'jane@example.com', async () => undefined);
  assert.equal((await index.find('Jane@Example.com', 'gov')).cloud, 'gov');
  await assert.rejects(index.find('jane@example.com'), (err) => isZoomTrayError(err) && err.kind === 'usage' && /--cloud/.test(err.message));
  await assert.rejects(index.find('mallory@example.com'), (err) => isZoomTrayError(err) && err.kind === 'usage' && /signed in: jane@example\.com, jane@example\.com \(ZoomGov\)/.test(err.message));
});

test('two processes adding accounts at once both land', async (t) => {
  const dir = await folder(t);
  const a = new AccountIndex(dir, 'svc', noLegacy);
  const b = new AccountIndex(dir, 'svc', noLegacy);
  await Promise.all([a.add('commercial', 'one@example.com', async () => undefined), b.add('commercial', 'two@example.com', async () => undefined)]);
  const list = await a.load();
  assert.deepEqual(list.accounts.map((x) => x.email).sort(), ['one@example.com', 'two@example.com']);
  assert.equal(new Set(list.accounts.map((x) => x.entry)).size, 2, 'never the same entry for two accounts');
});

test('a broken list falls back to the keychain sign-in instead of failing', async (t) => {
  const dir = await folder(t);
  await writeFile(path.join(dir, 'accounts-svc.json'), '{"v":1,"accounts":[{"email":5}');
  const index = new AccountIndex(dir, 'svc', async () => 'jane@example.com');
  assert.deepEqual((await index.load()).accounts.map((a) => a.email), ['jane@example.com']);
  assert.match(await readFile(path.join(dir, 'accounts-svc.json'), 'utf8'), /^\{"v":1,"accounts":\[\{"email":5\}$/, 'left for the user to see');
});

test('a first read that rebuilds the list from the old sign-in never overwrites an account added meanwhile', async (t) => {
  const dir = await folder(t);
  let release: () => void = () => undefined;
  const slowKeychain = new Promise<void>((resolve) => (release = resolve));
  const reader = new AccountIndex(dir, 'svc', async () => {
    await slowKeychain; // an unlock prompt, say
    return 'jane@example.com';
  });
  const adder = new AccountIndex(dir, 'svc', async () => 'jane@example.com');
  const reading = reader.load();
  await adder.add('commercial', 'bob@example.com', async () => undefined);
  release();
  await reading;
  assert.deepEqual((await adder.load()).accounts.map((a) => a.email), ['jane@example.com', 'bob@example.com']);
});

test('an empty list does not hide a sign-in still in the entry "session"', async (t) => {
  const dir = await folder(t);
  await writeFile(path.join(dir, 'accounts-svc.json'), '{"v":1,"default":null,"accounts":[]}');
  const index = new AccountIndex(dir, 'svc', async () => 'jane@example.com');
  assert.deepEqual((await index.load()).accounts, [{ email: 'jane@example.com', cloud: 'commercial', entry: 'session' }]);
  assert.match(await readFile(path.join(dir, 'accounts-svc.json'), 'utf8'), /jane@example\.com/, 'and the list says so again');
  const nobody = new AccountIndex(await folder(t), 'svc', noLegacy);
  assert.deepEqual((await nobody.load()).accounts, []);
});

// Found by test/fuzz/accounts.test.ts (seed 17): `--account <498 × "a"> --cloud gov` was quoted
// whole, and so was every account of the list; and a 5 MB --account against a list of 2,000
// accounts took 4.4 s, as it was trimmed and lower-cased again for each account.
test('naming an unknown account quotes an excerpt of it and lists five accounts at most', async (t) => {
  const dir = await folder(t);
  const accounts = Array.from({ length: 7 }, (_, i) => ({ email: `${'x'.repeat(100)}${i}@example.com`, cloud: 'commercial', entry: `session:commercial:${i}` }));
  await writeFile(path.join(dir, 'accounts-svc.json'), JSON.stringify({ v: 1, default: null, accounts }));
  const index = new AccountIndex(dir, 'svc', noLegacy);
  const listed = Array.from({ length: 5 }, () => `${'x'.repeat(60)}…`).join(', ');
  await assert.rejects(index.find('a'.repeat(498), 'gov'), (err) => isZoomTrayError(err) && err.message === `${'a'.repeat(60)}… is not signed in to zoom-tray on ZoomGov (signed in: ${listed}, and 2 more). \`zoom-tray accounts\` lists them; \`zoom-tray login\` adds one.`);
});

test('a named account is trimmed and lower-cased once, not once for each account listed', async (t) => {
  const dir = await folder(t);
  const accounts = Array.from({ length: 50 }, (_, i) => ({ email: `user${i}@example.com`, cloud: 'commercial', entry: `session:commercial:${i}` }));
  await writeFile(path.join(dir, 'accounts-svc.json'), JSON.stringify({ v: 1, default: null, accounts }));
  let trims = 0;
  class Counted extends String {
    override trim(): string {
      trims++;
      return super.trim();
    }
  }
  await assert.rejects(new AccountIndex(dir, 'svc', noLegacy).find(new Counted('nobody@example.com') as unknown as string), (err) => isZoomTrayError(err));
  assert.equal(trims, 1);
});

// Found by test/fuzz/accounts.test.ts's 5 MB run: a list of 2,000 accounts took a second to read,
// each account compared with every one before it (two lower-casings a comparison).
test('the account list is read in one pass: each address lower-cased once', async (t) => {
  const dir = await folder(t);
  const accounts = Array.from({ length: 300 }, (_, i) => ({ email: `user${i}@example.com`, cloud: 'commercial', entry: `session:commercial:${i}` }));
  await writeFile(path.join(dir, 'accounts-svc.json'), JSON.stringify({ v: 1, default: null, accounts: [...accounts, accounts[0]] }));
  const lower = String.prototype.toLowerCase;
  let calls = 0;
  String.prototype.toLowerCase = function (this: string) {
    calls++;
    return lower.call(this);
  };
  let loaded;
  try {
    loaded = await new AccountIndex(dir, 'svc', noLegacy).load();
  } finally {
    String.prototype.toLowerCase = lower;
  }
  assert.equal(loaded.accounts.length, 300, 'the repeated account is read once');
  assert.ok(calls <= 301 + 10, `${calls} lower-casings`);
});
