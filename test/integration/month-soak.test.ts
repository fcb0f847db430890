/**
 * A month of use, simulated (issue #17): the real bundle under the Electron double, the Zoom
 * simulator and an Outlook calendar feed, thirty days of test/soak/month-scenario.ts played on the
 * host's time warp (test/soak/run-month.ts), then the checks of test/soak/month-checks.ts. The same
 * run gives `npm run bench` its soak figures.
 *
 * What stands in for what: a machine sleep is a jump of the app's clock with the overdue timers
 * fired at once and powerMonitor's 'resume' (as Electron sends it); the process is never frozen,
 * its sockets never time out in a suspend. A network outage is every connection to Zoom and the
 * feed dropped (not unreachable routes or DNS failures). The keychain helper is a Node child, as
 * the CLI's; Electron's utility process is not run.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaks, reminders, signIns, soakFigures, staleness, traffic } from '../soak/month-checks';
import { runMonth } from '../soak/run-month';

const MiB = 1;

test('a month of use: no lost sign-in, no leak, every reminder once and on time, requests within budget, the menu fresh', { timeout: 300_000 }, async (t) => {
  const month = await runMonth();
  t.diagnostic(JSON.stringify(soakFigures(month)));

  await t.test('no sign-in lost but the inherent one the month injects; the month ends signed in', () => {
    const s = signIns(month);
    assert.equal(s.lost, 0);
    assert.equal(s.inherent, month.scenario.injectedLosses, 'the injected loss was told once');
    assert.equal(s.endsSignedIn, true);
  });

  await t.test('the JS heap after GC grows at most 10 MiB; timers and handles end where they began', () => {
    const l = leaks(month);
    assert.ok(l.heapGrowthMiB <= 10 * MiB, `heap grew ${l.heapGrowthMiB.toFixed(1)} MiB`);
    assert.ok(l.timersEnd <= l.timersStart, `timers ${l.timersStart} → ${l.timersEnd}`);
    assert.ok(l.handlesEnd <= l.handlesStart, `handles ${l.handlesStart} → ${l.handlesEnd}`);
  });

  // From the first evening RSS grows 3 to 8 MiB, most of it over the first three days: see SETTLED_DAY.
  await t.test('RSS after GC grows at most 10 MiB from the third evening to the last', () => {
    const l = leaks(month);
    assert.ok(l.rssGrowthSinceSettledMiB <= 10 * MiB, `RSS grew ${l.rssGrowthSinceSettledMiB.toFixed(1)} MiB (${l.rssGrowthMiB.toFixed(1)} MiB from the first)`);
  });

  await t.test('every reminder exactly once, in its minute; none after a meeting began, none for one cancelled or started', () => {
    const r = reminders(month);
    assert.deepEqual(r.missed, [], 'missed');
    assert.deepEqual(r.extra, [], 'shown for no meeting that called for one, or twice');
    assert.deepEqual(r.late, [], 'late');
    assert.equal(r.fired, r.expected);
  });

  await t.test('requests per hour within the idle budget every hour; at most 5 in the first minute back', () => {
    const tr = traffic(month);
    assert.deepEqual(tr.overBudget, []);
    assert.deepEqual(tr.storms, []);
  });

  await t.test('the menu is never more than 15 minutes old while awake and Zoom is reachable', () => {
    assert.deepEqual(staleness(month).over, []);
  });
});
