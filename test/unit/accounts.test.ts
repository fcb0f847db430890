import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { isZoomTrayError, ZoomTrayError } from '../../main/lib/errors';
import { AccountIndex, refreshLockFile, startCacheEntry } from '../../main/session/accounts';

async function folder(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-accounts-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const noLegacy = async (): Promise<string | undefined> => undefined;
/** An undo that is never needed: every list here can be written. */
const keepAll = async (): Promise<void> => assert.fail('nothing to undo');

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
  const jane = await index.add('commercial', 'jane@example.com', save, keepAll);
  const bob = await index.add('gov', 'Bob@Agency.gov', save, keepAll);
  const again = await index.add('commercial', 'JANE@example.com', save, keepAll);
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
  await assert.rejects(index.add('commercial', 'jane@example.com', async () => Promise.reject(new Error('locked')), keepAll), /locked/);
  assert.deepEqual((await index.load()).accounts, []);
});

test('naming an account: unknown or on both clouds is a usage error that says what to do', async (t) => {
  const index = new AccountIndex(await folder(t), 'svc', noLegacy);
  await index.add('commercial', 'jane@example.com', async () => undefined, keepAll);
  await index.add('gov', 'jane@example.com', async () => undefined, keepAll);
  assert.equal((await index.find('Jane@Example.com', 'gov')).cloud, 'gov');
  await assert.rejects(index.find('jane@example.com'), (err) => isZoomTrayError(err) && err.kind === 'usage' && /--cloud/.test(err.message));
  await assert.rejects(index.find('mallory@example.com'), (err) => isZoomTrayError(err) && err.kind === 'usage' && /signed in: jane@example\.com, jane@example\.com \(ZoomGov\)/.test(err.message));
});

test('two processes adding accounts at once both land', async (t) => {
  const dir = await folder(t);
  const a = new AccountIndex(dir, 'svc', noLegacy);
  const b = new AccountIndex(dir, 'svc', noLegacy);
  await Promise.all([a.add('commercial', 'one@example.com', async () => undefined, keepAll), b.add('commercial', 'two@example.com', async () => undefined, keepAll)]);
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
  await adder.add('commercial', 'bob@example.com', async () => undefined, keepAll);
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

test("a login writes only to its own account's entry, wherever a hand-edited list points it", async (t) => {
  const dir = await folder(t);
  const jane = { email: 'jane@example.com', cloud: 'commercial', entry: 'session' };
  const accounts = [jane, { email: 'bob@example.com', cloud: 'commercial', entry: 'session' }, { email: 'carol@agency.gov', cloud: 'gov', entry: 'session:commercial:bob@example.com' }];
  await writeFile(path.join(dir, 'accounts-svc.json'), JSON.stringify({ v: 1, default: jane, accounts }));
  const index = new AccountIndex(dir, 'svc', async () => 'jane@example.com'); // `session` holds Jane's sign-in
  const saved: string[] = [];
  const save = async (entry: string): Promise<void> => void saved.push(entry);
  await index.add('commercial', 'bob@example.com', save, keepAll);
  await index.add('gov', 'carol@agency.gov', save, keepAll);
  await index.add('commercial', 'jane@example.com', save, keepAll);
  assert.deepEqual(saved, ['session:commercial:bob@example.com', 'session:gov:carol@agency.gov', 'session']);
  assert.deepEqual(
    (await index.load()).accounts.map((a) => a.entry),
    ['session', 'session:commercial:bob@example.com', 'session:gov:carol@agency.gov'],
    'and the list now says where each one is',
  );
});

/** A data folder that takes no more writes (full, or read-only), played by the index itself: the tests run as root too. */
class Unwritable extends AccountIndex {
  protected override async write(): Promise<void> {
    throw new ZoomTrayError('local', 'The list of your accounts could not be saved (ENOSPC).');
  }
}

test('a login whose account the list cannot take is undone, not left stored where nothing finds it', async (t) => {
  const index = new Unwritable(await folder(t), 'svc', noLegacy);
  const undone: string[] = [];
  await assert.rejects(
    index.add('gov', 'carol@agency.gov', async () => undefined, async (entry) => void undone.push(entry)),
    (err) => isZoomTrayError(err) && err.kind === 'local' && /could not be saved \(ENOSPC\)\. The sign-in was not kept: it was revoked at Zoom and removed from the keychain\.$/.test(err.message),
  );
  assert.deepEqual(undone, ['session:gov:carol@agency.gov']);
  const stuck = new Unwritable(await folder(t), 'svc', noLegacy);
  await assert.rejects(
    stuck.add('commercial', 'jane@example.com', async () => undefined, async () => Promise.reject(new ZoomTrayError('network', 'Cannot reach Zoom.'))),
    (err) => isZoomTrayError(err) && /The sign-in could not be undone either \(Cannot reach Zoom\.\); `zoom-tray login` again once the list can be saved\.$/.test(err.message),
  );
});

test('a login the list already names is kept even when the list cannot be written: it is still found', async (t) => {
  const dir = await folder(t);
  await new AccountIndex(dir, 'svc', noLegacy).add('commercial', 'jane@example.com', async () => undefined, keepAll);
  const index = new Unwritable(dir, 'svc', async () => 'jane@example.com');
  const undone: string[] = [];
  await assert.rejects(index.add('commercial', 'jane@example.com', async () => undefined, async (entry) => void undone.push(entry)), /could not be saved \(ENOSPC\)\.$/);
  assert.deepEqual(undone, []);
  assert.deepEqual((await index.load()).accounts.map((a) => a.email), ['jane@example.com']);
});
