import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Target } from '../../main/meetings/launcher';
import { answerRequest, type WarmTray } from '../../main/endpoint/answers';
import type { HeldTarget, TrayRequest } from '../../main/endpoint/protocol';
import { ZoomTrayError } from '../../main/lib/errors';
import type { Account } from '../../main/session/accounts';

const CONFIG = 'c'.repeat(64);
const JANE: Account = { email: 'jane@example.com', cloud: 'commercial', entry: 'session' };
const JOHN: Account = { email: 'john@example.gov', cloud: 'gov', entry: 'session:gov:john@example.gov' };

type Slot = Awaited<ReturnType<WarmTray['slots']>>[number];

/** A slot that holds everything for pmi and ID starts (not `next`), and says what it was asked to start. */
function slot(account: Account, started: string[], fail?: Error): Slot {
  return {
    account,
    signedIn: true,
    servedFromCache: (target: Target) => target.kind !== 'next',
    sources: () => ({}),
    core: {
      start: async (target: Target) => {
        started.push(`${account.email} ${target.kind}`);
        if (fail) throw fail;
        return { url: new URL(`https://zoom.us/s/${target.kind === 'id' ? target.id : '5551234567'}?zak=${account.email}`), label: '' };
      },
    },
  } as unknown as Slot;
}

function tray(started: string[], options: { ready?: boolean; fail?: Error } = {}): WarmTray {
  return {
    config: CONFIG,
    ready: () => options.ready ?? true,
    accounts: {
      load: async () => ({ accounts: [JANE, JOHN], default: JANE }),
      find: async (email) => {
        const found = [JANE, JOHN].find((a) => a.email === email.trim().toLowerCase());
        if (!found) throw new ZoomTrayError('usage', `${email} is not signed in to zoom-tray.`);
        return found;
      },
    },
    slots: async () => [slot(JANE, started, options.fail), slot(JOHN, started)],
    calendars: { current: async () => [] },
    now: () => Date.now(),
  };
}

const start = (target: HeldTarget, account?: { email: string }): TrayRequest => ({
  command: 'start-print',
  config: CONFIG,
  target,
  ...(account ? { account } : {}),
});

test("the tray prints what the CLI would: the default account's start URL, or the named account's", async () => {
  const started: string[] = [];
  assert.deepEqual(await answerRequest(start({ kind: 'pmi' }), tray(started)), { ok: true, stdout: 'https://zoom.us/s/5551234567?zak=jane@example.com\n' });
  assert.deepEqual(await answerRequest(start({ kind: 'id', id: '81234567890' }, { email: ' John@Example.gov ' }), tray(started)), { ok: true, stdout: 'https://zoom.us/s/81234567890?zak=john@example.gov\n' });
  assert.deepEqual(started, ['jane@example.com pmi', 'john@example.gov id']);
  assert.deepEqual(await answerRequest({ command: 'accounts-json', config: CONFIG }, tray(started)), {
    ok: true,
    stdout: '[\n  {\n    "email": "jane@example.com",\n    "cloud": "commercial",\n    "default": true\n  },\n  {\n    "email": "john@example.gov",\n    "cloud": "gov",\n    "default": false\n  }\n]\n',
  });
});

test('what the tray does not hold, or would have to explain, is declined without a start: the CLI answers it in its own words', async () => {
  const started: string[] = [];
  assert.deepEqual(await answerRequest({ ...start({ kind: 'pmi' }), config: 'd'.repeat(64) }, tray(started)), { ok: false, why: 'other-config' });
  assert.deepEqual(await answerRequest(start({ kind: 'pmi' }), tray(started, { ready: false })), { ok: false, why: 'not-ready' });
  assert.deepEqual(await answerRequest({ command: 'accounts-json', config: CONFIG }, tray(started, { ready: false })), { ok: false, why: 'not-ready' });
  assert.deepEqual(await answerRequest(start({ kind: 'next' }), tray(started)), { ok: false, why: 'not-held' }, 'meetings not held');
  assert.deepEqual(await answerRequest(start({ kind: 'pmi' }, { email: 'nobody@example.com' }), tray(started)), { ok: false, why: 'not-held' }, 'an account not signed in');
  assert.deepEqual(started, []);
  const noMeeting = tray(started, { fail: new ZoomTrayError('zoom', 'You have no upcoming scheduled meetings in Zoom.') });
  assert.deepEqual(await answerRequest(start({ kind: 'pmi' }), noMeeting), { ok: false, why: 'not-held' });
  await assert.rejects(answerRequest(start({ kind: 'pmi' }), tray(started, { fail: new TypeError('a bug') })), TypeError, 'a bug is not hidden as a decline');
});

test('a signed-out slot, or none for the account, is declined', async () => {
  const started: string[] = [];
  const base = tray(started);
  const signedOut: WarmTray = { ...base, slots: async () => [{ ...slot(JANE, started), signedIn: false } as Slot] };
  assert.deepEqual(await answerRequest(start({ kind: 'pmi' }), signedOut), { ok: false, why: 'not-held' });
  const none: WarmTray = { ...base, slots: async () => [slot(JOHN, started)] };
  assert.deepEqual(await answerRequest(start({ kind: 'pmi' }), none), { ok: false, why: 'not-held' });
  assert.deepEqual(started, []);
});

/** A tray holding current lists: Jane's hosted meeting at `hostedAt` and a calendar's invitation at `invitedAt`. */
function agendaTray(started: string[], options: { hostedAt: number; invitedAt: number; zak?: boolean; calendars?: boolean }): WarmTray {
  const now = Date.parse('2026-12-07T08:00:00Z');
  const base = tray(started);
  const hosted = { id: '81234567890', topic: 'Design', start: new Date(now + options.hostedAt * 60_000), durationMinutes: 30, account: JANE, sources: ['zoom'], action: { kind: 'start' } };
  const invited = { id: '87777777777', topic: 'Vendor\u001b[8m', start: new Date(now + options.invitedAt * 60_000), durationMinutes: 30, account: undefined, sources: ['calendar:Work'], action: { kind: 'join', url: 'https://zoom.us/j/87777777777?pwd=p' } };
  const holding = (account: Account, meetings: unknown[]): Slot =>
    ({ ...slot(account, started), servedFromCache: () => options.zak ?? true, meetings, listedAt: now - 60_000, core: { ...slot(account, started).core, meetings: { lacksScope: false } } }) as unknown as Slot;
  return {
    ...base,
    now: () => now,
    slots: async () => [holding(JANE, [hosted]), holding(JOHN, [])],
    calendars: { current: async () => (options.calendars === false ? undefined : [[invited as never]]) },
  };
}

test('join next from the lists held: a meeting the user hosts starts with its ZAK, an invitation joins by its link, each named as the CLI names it', async () => {
  const started: string[] = [];
  const join = { command: 'join-next', config: CONFIG } as const;
  assert.deepEqual(await answerRequest(join, agendaTray(started, { hostedAt: 30, invitedAt: 60 })), { ok: true, stdout: 'https://zoom.us/s/81234567890?zak=jane@example.com\n', what: '"Design" (812 3456 7890)' });
  assert.deepEqual(started, ['jane@example.com id']);
  assert.deepEqual(await answerRequest(join, agendaTray(started, { hostedAt: 60, invitedAt: 30 })), { ok: true, stdout: 'https://zoom.us/j/87777777777?pwd=p\n', what: '"Vendor\uFFFD[8m" (877 7777 7777)' });
});

test('join next and meetings are declined when a list is not held, no meeting is ahead, or the ZAK is not at hand', async () => {
  const started: string[] = [];
  const join = { command: 'join-next', config: CONFIG } as const;
  const meetings = { command: 'meetings-json', config: CONFIG } as const;
  assert.deepEqual(await answerRequest(meetings, agendaTray(started, { hostedAt: 30, invitedAt: 60, calendars: false })), { ok: false, why: 'not-held' }, 'a calendar not current');
  assert.deepEqual(await answerRequest(join, agendaTray(started, { hostedAt: 30, invitedAt: 60, calendars: false })), { ok: false, why: 'not-held' }, 'a calendar not current');
  assert.deepEqual(await answerRequest(join, agendaTray(started, { hostedAt: -60, invitedAt: -60 })), { ok: false, why: 'not-held' }, 'nothing ahead');
  assert.deepEqual(await answerRequest(join, agendaTray(started, { hostedAt: 30, invitedAt: 60, zak: false })), { ok: false, why: 'not-held' }, 'no ZAK held');
  assert.deepEqual(started, []);
});
