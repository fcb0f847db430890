import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HELD_FOR_MS, type HeldSlot, heldZoomLists } from '../../main/endpoint/held-agenda';
import type { Meeting } from '../../main/meetings/meeting';
import type { Account, AccountList } from '../../main/session/accounts';

const NOW = Date.parse('2026-12-07T08:00:00Z');
const JANE: Account = { email: 'jane@example.com', cloud: 'commercial', entry: 'session' };
const JOHN: Account = { email: 'john@example.gov', cloud: 'gov', entry: 'session:gov:john@example.gov' };
const LIST: AccountList = { accounts: [JANE, JOHN], default: JANE };

function meeting(id: string, account: Account): Meeting {
  return { id, topic: id, start: new Date(NOW + 30 * 60_000), durationMinutes: 30, account, sources: ['zoom'], action: { kind: 'start' } };
}

/** A slot whose list was asked a minute ago and came back. */
function held(account: Account, change: Partial<HeldSlot> = {}, lacksScope = false): HeldSlot {
  return { account, signedIn: true, meetings: [meeting(account.email, account)], listedAt: NOW - 60_000, core: { meetings: { lacksScope } }, ...change };
}

test("every account's list, in the account list's order (as the CLI asks them), while each is held and current", () => {
  const lists = heldZoomLists(LIST, [held(JOHN), held(JANE)], NOW);
  assert.deepEqual(lists?.map((l) => l.map((m) => m.id)), [['jane@example.com'], ['john@example.gov']]);
  assert.ok(heldZoomLists(LIST, [held(JANE, { listedAt: NOW - HELD_FOR_MS + 1 }), held(JOHN)], NOW), 'just inside the bound');
});

test('one account whose list is missing, failed, too old, or lacks invitations is enough for the CLI to ask Zoom itself', () => {
  const cases: [string, readonly HeldSlot[], AccountList?][] = [
    ['no account signed in', [], { accounts: [] }],
    ['no slot for an account', [held(JANE)]],
    ['an account signed out', [held(JANE), held(JOHN, { signedIn: false })]],
    ['no list held', [held(JANE), held(JOHN, { meetings: undefined })]],
    ['the last ask failed', [held(JANE), held(JOHN, { listedAt: undefined })]],
    ['asked 16 minutes ago', [held(JANE), held(JOHN, { listedAt: NOW - HELD_FOR_MS })]],
    ['the app lacks the invitations scope', [held(JANE), held(JOHN, {}, true)]],
  ];
  for (const [what, slots, list] of cases) assert.equal(heldZoomLists(list ?? LIST, slots, NOW), undefined, what);
});
