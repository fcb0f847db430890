/**
 * What happens on the minute (issue #10): the tooltip's countdown, reminders and automatic starts,
 * in the real bundle under the Electron double against the simulator. The app's wall clock jumps
 * ahead (test/harness/time-warp.ts) while the simulator keeps real time, so meetings are set from
 * the real clock and jumps stay short of the access token's hour unless a refresh is welcome.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Settings } from '../../main/shared/settings-schema';
import { START_CACHE_ACCOUNT } from '../../main/session/secret-store';
import type { AppDriver } from '../harness/app-driver';
import { signedIn, type World } from '../harness/fixtures';
import { bootApp, openedUrl, zoomCalls } from '../harness/integration';
import type { SimMeeting } from '../zoom-sim/server';

const MIN = 60_000;
/**
 * Each jump lands this long after the instant named: a timer set for a whole minute is due a
 * millisecond or so after it (counted from when it was set), and a woken machine's timers run a
 * little late anyway. Far below any boundary tested here.
 */
const LATE = 250;
const EMAIL_TOOLTIP = 'zoom-tray — jane.doe@example.com';

/** A whole minute (UTC) `minutes` after the next one from now, by the real clock. */
function minutesAhead(minutes: number): number {
  return Math.ceil(Date.now() / MIN) * MIN + minutes * MIN;
}

function meeting(id: number, topic: string, start: number, duration = 30): SimMeeting {
  return { id, topic, type: 2, start_time: new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z'), duration, timezone: 'UTC' };
}

/**
 * A signed-in app with these meetings (and settings) whose caches are warm and whose work is done:
 * the ZAK it fetched is kept in the keychain, so no keychain call is under way when time jumps
 * (a jump past its 60-second timeout would end it).
 */
async function appWith(t: TestContext, meetings: readonly SimMeeting[], settings: Partial<Settings> = {}, invitations: readonly SimMeeting[] = []): Promise<{ w: World; app: AppDriver }> {
  const w = await signedIn(t, { sim: { meetings, invitations } });
  await writeFile(path.join(w.dataDir, 'settings.json'), JSON.stringify(settings));
  const app = bootApp(t, w.env);
  await app.untilMenuHas(new RegExp(`${meetings[0]?.topic}$`));
  await app.until('the ZAK fetched and kept', async () => /"zak":"/.test((await w.keychain.get(w.keychainService, START_CACHE_ACCOUNT)) ?? ''));
  return { w, app };
}

/** The app's clock jumps to `at` (a little after, see LATE); answers once what fell due is done. */
async function wake(app: AppDriver, at: number): Promise<void> {
  await app.jumpTo(at + LATE);
}

async function tooltip(app: AppDriver): Promise<string> {
  return (await app.snapshot()).tray.tooltip;
}

async function titles(app: AppDriver): Promise<string[]> {
  return (await app.snapshot()).notifications.map((n) => n.title);
}

test('a reminder one minute before (the default): not a minute early, once, and never again in the minutes after', async (t) => {
  const start = minutesAhead(12);
  const { app } = await appWith(t, [meeting(86000000001, 'Standup', start)]);
  await wake(app, start - 90_000);
  assert.deepEqual(await titles(app), [], '90 s before: no reminder yet');
  await wake(app, start - MIN);
  assert.deepEqual((await app.snapshot()).notifications, [{ title: 'Standup starts in 1 min', body: 'Click to start it as host.' }]);
  await wake(app, start);
  await wake(app, start + MIN);
  await wake(app, start + 2 * MIN);
  assert.deepEqual(await titles(app), ['Standup starts in 1 min'], 'the minutes after add none');
});

test('reminders five minutes before: once, not again as the minutes count down', async (t) => {
  const start = minutesAhead(12);
  const { app } = await appWith(t, [meeting(86000000001, 'Standup', start)], { reminderMinutes: 5 });
  await wake(app, start - 6 * MIN);
  assert.deepEqual(await titles(app), []);
  await wake(app, start - 5 * MIN);
  assert.deepEqual(await titles(app), ['Standup starts in 5 min']);
  for (let m = 4; m >= 0; m--) await wake(app, start - m * MIN);
  assert.deepEqual(await titles(app), ['Standup starts in 5 min']);
});

test("a reminder's click starts that meeting as host, from the caches: the simulator accepts the start URL", async (t) => {
  // 17 minutes ahead: the jump passes the 15-minute meetings poll, so the list is fresh when the
  // click starts the meeting (a start refetches one older than a minute, once its URL is opened).
  const start = minutesAhead(17);
  const { w, app } = await appWith(t, [
    // Under way: what "next" would start, so only the reminded meeting's own ID passes.
    meeting(86000000002, 'Ongoing', minutesAhead(-10), 120),
    meeting(86000000001, 'Standup', start),
  ]);
  // An idle poll asks Zoom's upcoming list (own and invited meetings of the next day).
  const polls = w.sim.stats.apiCalls['GET /v2/users/me/upcoming_meetings'] ?? 0;
  await wake(app, start - MIN);
  assert.equal(w.sim.stats.apiCalls['GET /v2/users/me/upcoming_meetings'], polls + 1, 'the poll ran in the jump');
  assert.deepEqual(await titles(app), ['Standup starts in 1 min']);
  const before = zoomCalls(w.sim);
  assert.equal(await app.call({ op: 'click-notification', index: -1 }), true);
  const url = await openedUrl(app, 1);
  assert.match(url, new RegExp(`^${w.sim.origin}/s/86000000001\\?zak=`));
  assert.equal(zoomCalls(w.sim), before, 'no Zoom request: ZAK and meeting were at hand');
  assert.equal((await fetch(url)).status, 200);
  assert.deepEqual(w.sim.stats.started, ['86000000001']);
  assert.deepEqual(w.sim.stats.startedBy, [{ id: '86000000001', email: 'jane.doe@example.com' }]);
  assert.equal((await app.snapshot()).opened.length, 1);
});

test('the tooltip counts down from 60 min, in whole minutes rounded up, then shows the next meeting, then nothing', async (t) => {
  const start = minutesAhead(62);
  const { app } = await appWith(t, [meeting(86000000001, 'Standup', start), meeting(86000000003, 'Retro', start + 30 * MIN)]);
  await wake(app, start - 61 * MIN);
  assert.equal(await tooltip(app), EMAIL_TOOLTIP, '61 min before: no countdown');
  await wake(app, start - 60 * MIN);
  assert.equal(await tooltip(app), 'zoom-tray — Standup in 60 min');
  await wake(app, start - 59 * MIN);
  assert.equal(await tooltip(app), 'zoom-tray — Standup in 59 min');
  // Past the access token's hour by the app's clock: the poll in this jump refreshes it first.
  await wake(app, start - 90_000);
  assert.equal(await tooltip(app), 'zoom-tray — Standup in 2 min', '90 s rounds up');
  await wake(app, start - MIN);
  assert.equal(await tooltip(app), 'zoom-tray — Standup in 1 min', 'the last minute');
  await wake(app, start);
  assert.equal(await tooltip(app), 'zoom-tray — Retro in 30 min', 'under way: the next one');
  await wake(app, start + 31 * MIN);
  assert.equal(await tooltip(app), EMAIL_TOOLTIP, 'none to come: no countdown');
});

test('start on time (opt-in): in the minute the meeting begins, as host, once; not a minute early, not again', async (t) => {
  const start = minutesAhead(12);
  const { w, app } = await appWith(t, [meeting(86000000001, 'Standup', start)], { autoStart: true, reminderMinutes: 0 });
  await wake(app, start - MIN);
  assert.deepEqual((await app.snapshot()).opened, [], 'a minute before: not yet');
  await wake(app, start);
  const opened = (await app.snapshot()).opened;
  assert.equal(opened.length, 1, 'started in the jump (the host answers once the start is done)');
  assert.match(opened[0] ?? '', new RegExp(`^${w.sim.origin}/s/86000000001\\?zak=`));
  assert.equal((await fetch(opened[0] ?? '')).status, 200);
  assert.deepEqual(w.sim.stats.startedBy, [{ id: '86000000001', email: 'jane.doe@example.com' }]);
  await wake(app, start + MIN);
  await wake(app, start + 2 * MIN);
  assert.equal((await app.snapshot()).opened.length, 1, 'once');
  assert.deepEqual(await titles(app), [], 'quietly');
});

test('start on time does not start a meeting late after a sleep through its start', async (t) => {
  const start = minutesAhead(12);
  const { app } = await appWith(t, [meeting(86000000001, 'Standup', start)], { autoStart: true, reminderMinutes: 0 });
  await wake(app, start - 3 * MIN);
  await wake(app, start + 5 * MIN); // asleep from 3 minutes before to 5 after
  assert.deepEqual((await app.snapshot()).opened, [], 'missed while asleep: not started late');
  await wake(app, start + 6 * MIN);
  assert.deepEqual((await app.snapshot()).opened, []);
});

test("a meeting someone else hosts is reminded with Join; the reminder's click opens its own link, with no request to Zoom", async (t) => {
  const start = minutesAhead(12);
  const { w, app } = await appWith(t, [meeting(86000000001, 'Standup', start + 60 * MIN)], {}, [meeting(87000000001, 'Vendor call', start)]);
  await app.untilMenuHas(/^Join · .*Vendor call$/);
  await wake(app, start - MIN);
  assert.deepEqual((await app.snapshot()).notifications, [{ title: 'Vendor call starts in 1 min', body: 'Click to join it.' }]);
  const before = zoomCalls(w.sim);
  assert.equal(await app.call({ op: 'click-notification', index: -1 }), true);
  const url = new URL(await openedUrl(app, 1));
  assert.equal(url.origin + url.pathname, `${w.sim.origin}/j/87000000001`);
  assert.equal(url.searchParams.get('zak'), null, 'never a ZAK for a meeting the user does not host');
  assert.equal(zoomCalls(w.sim), before);
});

test('join on time (opt-in) opens a meeting someone else hosts in its first minute, once; start on time alone leaves it', async (t) => {
  const start = minutesAhead(12);
  await t.test('join on time', async (t) => {
    const { w, app } = await appWith(t, [meeting(86000000001, 'Standup', start + 60 * MIN)], { autoJoin: true, reminderMinutes: 0 }, [meeting(87000000001, 'Vendor call', start)]);
    await app.untilMenuHas(/^Join · .*Vendor call$/);
    await wake(app, start);
    assert.equal(new URL(await openedUrl(app, 1)).pathname, '/j/87000000001');
    await wake(app, start + 2 * MIN);
    assert.equal((await app.snapshot()).opened.length, 1, 'once');
    assert.equal(w.sim.stats.started.length, 0);
  });
  await t.test('start on time only', async (t) => {
    const { app } = await appWith(t, [meeting(86000000001, 'Standup', start + 60 * MIN)], { autoStart: true, reminderMinutes: 0 }, [meeting(87000000001, 'Vendor call', start)]);
    await app.untilMenuHas(/^Join · .*Vendor call$/);
    await wake(app, start + MIN / 2);
    assert.equal((await app.snapshot()).opened.length, 0);
  });
});
