import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { isZoomTrayError, ZoomTrayError } from '../../main/lib/errors';
import { AccountIndex, type AccountKeychain, listFromKeychain, refreshLockFile, startCacheEntry } from '../../main/session/accounts';

async function folder(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-accounts-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A keychain whose entry `session` holds `legacy`'s e-mail; `entries` are its entries' names, or it cannot list them. */
function keychainOf(legacy: () => Promise<string | undefined>, entries?: readonly string[]): AccountKeychain {
  return { legacyAccount: legacy, entries: async () => entries ?? Promise.reject(new Error('this keychain cannot list its entries')) };
}
const noLegacy = keychainOf(async () => undefined);
const janeInSession = keychainOf(async () => 'jane@example.com');
/** An undo that is never needed: every list here can be written. */
const keepAll = async (): Promise<void> => assert.fail('nothing to undo');

test('a single-account sign-in from before becomes the default account, with its entry as it was', async (t) => {
  const dir = await folder(t);
  let asked = 0;
  const index = new AccountIndex(
    dir,
    'svc',
    keychainOf(async () => {
      asked++;
      return 'jane@example.com';
    }),
  );
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
  const index = new AccountIndex(dir, 'svc', janeInSession);
  assert.deepEqual((await index.load()).accounts.map((a) => a.email), ['jane@example.com']);
  assert.match(await readFile(path.join(dir, 'accounts-svc.json'), 'utf8'), /^\{"v":1,"accounts":\[\{"email":5\}$/, 'left for the user to see');
});

test('a first read that rebuilds the list from the old sign-in never overwrites an account added meanwhile', async (t) => {
  const dir = await folder(t);
  let release: () => void = () => undefined;
  const slowKeychain = new Promise<void>((resolve) => (release = resolve));
  const reader = new AccountIndex(
    dir,
    'svc',
    keychainOf(async () => {
      await slowKeychain; // an unlock prompt, say
      return 'jane@example.com';
    }),
  );
  const adder = new AccountIndex(dir, 'svc', janeInSession);
  const reading = reader.load();
  await adder.add('commercial', 'bob@example.com', async () => undefined, keepAll);
  release();
  await reading;
  assert.deepEqual((await adder.load()).accounts.map((a) => a.email), ['jane@example.com', 'bob@example.com']);
});

test('an empty list does not hide a sign-in still in the entry "session"', async (t) => {
  const dir = await folder(t);
  await writeFile(path.join(dir, 'accounts-svc.json'), '{"v":1,"default":null,"accounts":[]}');
  const index = new AccountIndex(dir, 'svc', janeInSession);
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

test("a login writes only to its own account's entry, wherever a hand-edited list points it", async (t) => {
  const dir = await folder(t);
  const jane = { email: 'jane@example.com', cloud: 'commercial', entry: 'session' };
  const accounts = [jane, { email: 'bob@example.com', cloud: 'commercial', entry: 'session' }, { email: 'carol@agency.gov', cloud: 'gov', entry: 'session:commercial:bob@example.com' }];
  await writeFile(path.join(dir, 'accounts-svc.json'), JSON.stringify({ v: 1, default: jane, accounts }));
  const index = new AccountIndex(dir, 'svc', janeInSession); // `session` holds Jane's sign-in
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
  const index = new Unwritable(dir, 'svc', janeInSession);
  const undone: string[] = [];
  await assert.rejects(index.add('commercial', 'jane@example.com', async () => undefined, async (entry) => void undone.push(entry)), /could not be saved \(ENOSPC\)\.$/);
  assert.deepEqual(undone, []);
  assert.deepEqual((await index.load()).accounts.map((a) => a.email), ['jane@example.com']);
});

/** What `zoom-tray` keeps in the keychain for Jane (in `session`), Bob and Carol (on ZoomGov): sign-ins and start caches. */
const THREE_SIGNED_IN = ['start-cache:gov:carol@agency.gov', 'session:gov:carol@agency.gov', 'session', 'start-cache', 'session:commercial:bob@example.com', 'start-cache:commercial:bob@example.com'];

/** Ways an account list can be there and not be one, each with the reason the user is told. */
const UNREADABLE: readonly { what: string; make: (file: string) => Promise<void>; reason: RegExp }[] = [
  { what: 'over 256 KB', make: (file) => writeFile(file, `{"v":1,"accounts":[${'{"email":"x@example.com","cloud":"commercial","entry":"session"},'.repeat(5000)}{}]}`), reason: /larger than 256 KB/ },
  { what: 'not JSON', make: (file) => writeFile(file, '{"v":1,"accounts":[{"email":'), reason: /it is not a list of accounts/ },
  { what: 'a FIFO', make: async (file) => void execFileSync('mkfifo', [file]), reason: /not a regular file/ },
  { what: 'a directory', make: (file) => mkdir(path.join(file, 'inside'), { recursive: true }).then(() => undefined), reason: /not a regular file|EISDIR/ },
];

for (const { what, make, reason } of UNREADABLE) {
  test(`an account list that is ${what} is kept aside and rebuilt from the keychain's entries, and the user is told`, { skip: what === 'a FIFO' && process.platform === 'win32' }, async (t) => {
    const dir = await folder(t);
    const file = path.join(dir, 'accounts-svc.json');
    await make(file);
    const told: string[] = [];
    const index = new AccountIndex(dir, 'svc', keychainOf(async () => 'jane@example.com', THREE_SIGNED_IN), (message) => told.push(message));
    const list = await index.load();
    assert.deepEqual(
      list.accounts.map((a) => [a.email, a.cloud, a.entry]),
      [
        ['jane@example.com', 'commercial', 'session'],
        ['bob@example.com', 'commercial', 'session:commercial:bob@example.com'],
        ['carol@agency.gov', 'gov', 'session:gov:carol@agency.gov'],
      ],
    );
    assert.equal(list.default?.email, 'jane@example.com');
    assert.equal(told.length, 1, told.join('\n'));
    const aside = /it was kept as (\S+) and the list rebuilt from the keychain: jane@example\.com, bob@example\.com, carol@agency\.gov \(ZoomGov\)\./.exec(told[0] ?? '')?.[1];
    assert.ok(aside, told[0]);
    assert.match(told[0] ?? '', reason);
    assert.equal(path.dirname(aside), dir);
    assert.ok((await lstat(aside)).isFile() === (what !== 'a FIFO' && what !== 'a directory'), 'the very file, kept as it was');

    // The next login adds to the three; nobody drops out.
    await index.add('commercial', 'dave@example.com', async () => undefined, keepAll);
    const again = new AccountIndex(dir, 'svc', keychainOf(async () => 'jane@example.com', []), (message) => told.push(message));
    assert.deepEqual((await again.load()).accounts.map((a) => a.email), ['jane@example.com', 'bob@example.com', 'carol@agency.gov', 'dave@example.com']);
    assert.equal(told.length, 1, 'said once');
  });
}

test('an unreadable list the keychain cannot rebuild is left where it is, said once, and no login writes over it', async (t) => {
  const dir = await folder(t);
  const file = path.join(dir, 'accounts-svc.json');
  await writeFile(file, 'not a list');
  const told: string[] = [];
  const index = new AccountIndex(dir, 'svc', janeInSession, (message) => told.push(message));
  assert.deepEqual((await index.load()).accounts.map((a) => a.email), ['jane@example.com'], "meanwhile the entry `session`'s account still works");
  await index.load();
  assert.equal(told.length, 1, 'said once, not at every read');
  assert.match(told[0] ?? '', /cannot be read \(it is not a list of accounts\), and the keychain could not list your sign-ins to rebuild it \(.*this keychain cannot list its entries.*\)\. It was left as it is: fix it or move it aside/);
  const saved: string[] = [];
  await assert.rejects(
    index.add('commercial', 'bob@example.com', async (entry) => void saved.push(entry), keepAll),
    (err) => isZoomTrayError(err) && err.exitCode === 8 && err.message === told[0],
  );
  assert.deepEqual(saved, [], 'nothing stored that the list could not name');
  assert.equal(await readFile(file, 'utf8'), 'not a list');
});

test('the list rebuilt from the keychain counts only sign-in entries named by their own cloud and e-mail', async () => {
  const entries = [...THREE_SIGNED_IN, 'session:mars:x@example.com', 'session:gov:', 'sessionx', 'session:gov:Carol@Agency.gov', 'zoom-client-id'];
  const list = await listFromKeychain(entries, async () => undefined);
  assert.deepEqual(list.accounts.map((a) => a.entry), ['session:commercial:bob@example.com', 'session:gov:carol@agency.gov'], '`session` without a readable sign-in is no account');
});
