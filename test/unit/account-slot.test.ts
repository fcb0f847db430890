/**
 * One account kept warm (app/account-slot.ts) on a manual clock, against a core that counts what it
 * asks Zoom. Found by the month soak (test/integration/month-soak.test.ts): the requests a wake and
 * a failing ZAK renewal make.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccountSlot, type AppCore } from '../../main/app/account-slot';
import { ZoomTrayError } from '../../main/lib/errors';
import { ManualClock } from '../harness/manual-clock';

const MIN = 60_000;
const T0 = Date.parse('2027-03-15T06:30:00Z');

/** A signed-in core whose ZAK lives two hours (renewed 5 minutes early), and which can lose the network. */
function fakeCore(clock: ManualClock) {
  const calls: string[] = [];
  let zak: { token: string; expiresAt: number } | undefined;
  /** `held`: the meetings fetch waits on it (an answer that takes longer than a poll's period). */
  const state: { offline: boolean; held?: Promise<void> | undefined } = { offline: false };
  const ask = (what: string): void => {
    calls.push(what);
    if (state.offline) throw new ZoomTrayError('network', 'Could not reach Zoom at zoom.us: the connection dropped.');
  };
  const fetchZak = async () => {
    ask('zak');
    zak = { token: 'zak', expiresAt: clock.now() + 2 * 60 * MIN };
    return zak;
  };
  const core = {
    session: { entry: 'session', account: async () => 'jane@example.com' },
    me: async () => {
      ask('me');
      return { id: 'u1', email: 'jane@example.com', first_name: 'Jane', last_name: 'Doe', pmi: '5551234567' };
    },
    meetings: {
      lacksScope: false,
      fetch: async () => {
        ask('meetings');
        await state.held;
        return [];
      },
    },
    zak: {
      warm: async () => zak ?? fetchZak(),
      refresh: fetchZak,
      peek: () => (zak && zak.expiresAt - 5 * MIN > clock.now() ? zak : undefined),
      renewAt: () => (zak ? zak.expiresAt - 5 * MIN : undefined),
      clear: () => void (zak = undefined),
    },
    close: async () => undefined,
  } as unknown as AppCore;
  return { core, calls, state };
}

async function openSlot() {
  const clock = new ManualClock(T0);
  const { core, calls, state } = fakeCore(clock);
  const slot = new AccountSlot({ email: 'jane@example.com', cloud: 'commercial', entry: 'session' }, core, { clock, changed: () => undefined, outcome: () => undefined, lacksUpcomingScope: () => undefined });
  await slot.open();
  calls.length = 0;
  return { clock, slot, calls, state };
}

const count = (calls: readonly string[], what: string): number => calls.filter((c) => c === what).length;

test('a wake after a night asks Zoom for the meetings and a ZAK once, though the overdue poll and renewal ran as it woke', async () => {
  const { clock, slot, calls } = await openSlot();
  clock.jump(9 * 60 * MIN); // asleep: the poll and the ZAK renewal fell due meanwhile
  await clock.advance(0); // on waking, the overdue timers run
  await slot.refresh({ newZak: true }); // then powerMonitor's 'resume'
  assert.equal(count(calls, 'meetings'), 1, JSON.stringify(calls));
  assert.equal(count(calls, 'zak'), 1, JSON.stringify(calls));
});

test('a ZAK renewal that fails (no network) is tried again at the poll\'s pace, not every 10 seconds', async () => {
  const { clock, calls, state } = await openSlot();
  state.offline = true;
  await clock.advance(3 * 60 * MIN); // past the renewal (1 h 55 min after the ZAK) and an hour beyond
  // The renewal at 1 h 55 min, then every 15 minutes: 5 by 3 h, not 390.
  assert.ok(count(calls, 'zak') <= 6, `${count(calls, 'zak')} ZAK requests in an hour offline`);
  state.offline = false;
  await clock.advance(15 * MIN);
  assert.ok(count(calls, 'zak') >= 1 && calls.at(-1) !== undefined);
  assert.ok(clock.pending > 0, 'the renewal goes on once it works again');
});

test('a poll that falls due while the last one is still waiting for Zoom keeps polling after it', async () => {
  const { clock, calls, state } = await openSlot();
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  let answer: () => void = () => undefined;
  state.held = new Promise<void>((resolve) => (answer = resolve));
  const first = clock.advance(15 * MIN); // the poll asks, and waits for Zoom
  await turn();
  assert.equal(count(calls, 'meetings'), 1);
  clock.jump(15 * MIN); // still waiting when the next poll falls due: it joins the one under way
  const joined = clock.advance(0);
  await turn();
  state.held = undefined;
  answer();
  await Promise.all([first, joined]);
  await clock.advance(30 * MIN); // later polls go on at their pace
  assert.ok(count(calls, 'meetings') >= 2, `${count(calls, 'meetings')} polls in the hour after: polling stopped`);
});
