// The account list (accounts-<service>.json): a file anyone may have edited, and the e-mail a
// command names with --account. Read into accounts that are usable, or none; a named account is
// found, or the usage error quotes an excerpt at most.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { type AccountKeychain, AccountIndex } from '../../main/session/accounts';
import { CLOUDS } from '../../main/shared/clouds';
import { bulky, FIVE_MB, holdsAsync, outcomeAsync, outsideText, runs, timed } from './properties';

const root = mkdtempSync(path.join(os.tmpdir(), 'zoom-tray-fuzz-accounts-'));
after(() => rmSync(root, { recursive: true, force: true }));
// A keychain with no sign-in in `session` and no entries to rebuild an unreadable list from.
const noLegacy: AccountKeychain = { legacyAccount: async () => undefined, entries: async () => [] };

const email = fc.oneof(fc.constantFrom('jane@example.com', 'JANE@example.com', '', ' '), fc.emailAddress(), outsideText(['@', '.'], 6), bulky(fc.constantFrom('a', 'b@')));
const account = fc.oneof(
  fc.record({ email: fc.oneof(email, fc.jsonValue()), cloud: fc.oneof(fc.constantFrom(...CLOUDS, 'mars'), fc.jsonValue()), entry: fc.oneof(fc.constantFrom('session', 'session:gov:jane@example.com', 'sessionX', 'other'), fc.jsonValue()) }, { requiredKeys: [] }),
  fc.jsonValue(),
);
const listText = fc.oneof(
  fc.record({ v: fc.oneof(fc.constant(1), fc.jsonValue()), default: fc.oneof(fc.constant(null), fc.record({ email, cloud: fc.constantFrom(...CLOUDS) }), fc.jsonValue()), accounts: fc.oneof(fc.array(account, { maxLength: 8 }), fc.jsonValue()) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.json(),
  outsideText(['{"v":1,"accounts":[', ']}', '{', '}', '"email":', '"cloud":"gov"', '"entry":"session"', ','], 12),
);

let n = 0;
async function indexOf(text: string): Promise<AccountIndex> {
  const dir = path.join(root, String(n++));
  const index = new AccountIndex(dir, 'svc', noLegacy);
  await import('node:fs/promises').then((fs) => fs.mkdir(dir));
  writeFileSync(path.join(dir, 'accounts-svc.json'), text);
  return index;
}

test('the account list: usable accounts (one each, each on a cloud with its own entry) and a default among them, whatever the file holds', async () => {
  await holdsAsync(
    fc.asyncProperty(listText, email, fc.constantFrom(undefined, ...CLOUDS), async (text, named, cloud) => {
      const index = await indexOf(text);
      const loaded = await outcomeAsync(() => index.load());
      assert.ok(loaded.ok, 'load() never fails');
      const { accounts, default: chosen } = loaded.value;
      for (const a of accounts) {
        assert.ok(typeof a.email === 'string' && a.email.length > 0 && CLOUDS.includes(a.cloud) && a.entry.startsWith('session'), JSON.stringify(a).slice(0, 200));
      }
      assert.equal(new Set(accounts.map((a) => `${a.cloud} ${a.email.toLowerCase()}`)).size, accounts.length, 'no account twice');
      assert.ok(chosen === undefined ? accounts.length === 0 : accounts.includes(chosen));
      const found = await outcomeAsync(() => index.find(named, cloud), ['usage']);
      if (found.ok) assert.ok(accounts.includes(found.value));
    }),
    runs(100),
  );
});

test('a 5 MB e-mail and a full list are refused within the bound', async (t) => {
  const many = Array.from({ length: 2000 }, (_, i) => ({ email: `someone.with.a.long.name.${i}@example.com`, cloud: 'commercial', entry: `session:commercial:${i}` }));
  const index = await indexOf(JSON.stringify({ v: 1, default: null, accounts: many }));
  const found = await timed(t, 'find', () => outcomeAsync(() => index.find('x'.repeat(FIVE_MB)), ['usage']));
  assert.equal(found.ok, false);
});
