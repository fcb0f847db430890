/**
 * Meetings the user is invited to, from Zoom's upcoming list (GET /users/me/upcoming_meetings),
 * beside the ones they host: in `zoom-tray meetings`, `zoom-tray join next` and the tray, against
 * the simulator.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { START_CACHE_ACCOUNT } from '../../main/session/secret-store';
import { signedIn, type World } from '../harness/fixtures';
import { bootApp, cliWithoutLeaks, openedUrl, zoomCalls } from '../harness/integration';
import type { SimMeeting } from '../zoom-sim/server';

const MIN = 60_000;

function at(minutes: number): string {
  return new Date(Math.ceil(Date.now() / MIN) * MIN + minutes * MIN).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Jane hosts a design review in 90 minutes; Sam (outside the simulation) invited her to a vendor call in 30. */
const own: SimMeeting = { id: 81234567890, topic: 'Design review', type: 2, start_time: at(90), duration: 45, timezone: 'UTC' };
const vendor: SimMeeting = { id: 87777777777, topic: 'Vendor call', type: 2, start_time: at(30), duration: 30, timezone: 'UTC', password: 'vendor1' };

const invitedWorld = (t: Parameters<typeof signedIn>[0]) => signedIn(t, { sim: { meetings: [own], invitations: [vendor] } });
const cli = (w: World, args: readonly string[]) => cliWithoutLeaks([w.sim], args, w.env);

interface Row {
  id: string;
  topic: string;
  role: string;
  sources: string[];
  join_url?: string;
}

test('meetings --json lists an invitation as a guest meeting with its join link, and an own meeting (in both lists) once, as host', async (t) => {
  const w = await invitedWorld(t);
  const result = await cli(w, ['meetings', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const rows = JSON.parse(result.stdout) as Row[];
  assert.deepEqual(
    rows.map((r) => [r.id, r.topic, r.role, r.sources]),
    [
      ['87777777777', 'Vendor call', 'guest', ['zoom']],
      ['81234567890', 'Design review', 'host', ['zoom']],
    ],
  );
  const link = new URL(rows[0]?.join_url ?? '');
  assert.equal(link.origin + link.pathname, `${w.sim.origin}/j/87777777777`);
  assert.ok(link.searchParams.get('pwd'), 'the passcode is kept in the link');
  assert.equal(w.sim.stats.apiCalls['GET /v2/users/me/upcoming_meetings'], 1);
});

test('meetings marks a meeting someone else hosts "(join)" in words', async (t) => {
  const w = await invitedWorld(t);
  const lines = (await cli(w, ['meetings'])).stdout.trim().split('\n');
  assert.match(lines[0] ?? '', /87777777777 {2}Vendor call {2}\(join\)$/);
  assert.match(lines[1] ?? '', /81234567890 {2}Design review$/);
});

test('without the scope for invitations, meetings exits 0 with the hosted meetings and names the scope on stderr', async (t) => {
  const w = await invitedWorld(t);
  w.sim.faults.missingScopes.push('meeting:read:list_upcoming_meetings');
  const result = await cli(w, ['meetings', '--json']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual((JSON.parse(result.stdout) as Row[]).map((r) => r.id), ['81234567890']);
  assert.match(result.stderr, /^zoom-tray: meetings you are invited to are not listed: your Zoom app lacks the scope meeting:read:list_upcoming_meetings/);
});

test('join next --print opens the next meeting of any role: an invitation by its link, no ZAK', async (t) => {
  const w = await invitedWorld(t);
  const result = await cli(w, ['join', 'next', '--print']);
  assert.equal(result.code, 0, result.stderr);
  const url = new URL(result.stdout.trim());
  assert.equal(url.origin + url.pathname, `${w.sim.origin}/j/87777777777`);
  assert.equal(url.searchParams.get('zak'), null);
});

test('join next --print starts the next meeting as host when the user hosts it', async (t) => {
  const w = await signedIn(t, { sim: { meetings: [own], invitations: [{ ...vendor, start_time: at(120) }] } });
  const result = await cli(w, ['join', 'next', '--print']);
  assert.equal(result.code, 0, result.stderr);
  const url = new URL(result.stdout.trim());
  assert.equal(url.origin + url.pathname, `${w.sim.origin}/s/81234567890`);
  assert.equal((await fetch(url)).status, 200, 'the simulator accepts it as the host');
});

test('join next with nothing ahead is exit 4 and says so', async (t) => {
  const w = await signedIn(t, { sim: { meetings: [] } });
  const result = await cli(w, ['join', 'next']);
  assert.equal(result.code, 4, result.stderr);
  assert.equal(result.stderr, 'zoom-tray: You have no upcoming meetings.\n');
});

test('in the tray, an invitation says "Join" and its click opens its link with no request to Zoom', async (t) => {
  const w = await invitedWorld(t);
  const app = bootApp(t, w.env);
  await app.untilMenuHas(/^Join · .*Vendor call$/);
  await app.until('the ZAK fetched and kept', async () => /"zak":"/.test((await w.keychain.get(w.keychainService, START_CACHE_ACCOUNT)) ?? ''));
  const items = (await app.menu()).map((i) => i.label);
  assert.ok(items.some((l) => /^Start · .*Design review$/.test(l)), items.join('\n'));
  const before = zoomCalls(w.sim);
  const label = items.find((l) => /^Join · .*Vendor call$/.test(l)) ?? '';
  await app.click(label);
  const url = new URL(await openedUrl(app, 1));
  assert.equal(url.origin + url.pathname, `${w.sim.origin}/j/87777777777`);
  assert.equal(url.searchParams.get('zak'), null);
  assert.equal(zoomCalls(w.sim), before, 'no request: the link was at hand');
});

test("join next says which meeting it opened with the topic's control characters shown, not obeyed", async (t) => {
  const w = await signedIn(t, { sim: { meetings: [], invitations: [{ ...vendor, topic: 'Standup\u001b]0;owned\u0007\u001b[8m hidden' }] } });
  const result = await cliWithoutLeaks([w.sim], ['join', 'next'], { ...w.env, BROWSER: '/bin/true' });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /^Opened "Standup.*hidden" \(877 7777 7777\) in your browser\.\n$/);
  assert.ok(!/[\u001b\u0007]/.test(result.stderr), JSON.stringify(result.stderr));
});
