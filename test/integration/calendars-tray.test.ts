/**
 * The tray's calendars (app/calendars.ts): the fixtures served over loopback by the feed server, the
 * tray's clock a manual one at the fixtures' week, the list in a data folder of the test's with the
 * addresses in a keychain stand-in.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { Calendars } from '../../main/app/calendars';
import type { Note } from '../../main/app/notifications';
import { agendaOf, initialState } from '../../main/app/state';
import { StateStore } from '../../main/app/state-store';
import { CalendarList } from '../../main/calendars/calendar-list';
import { parseFeedAddress } from '../../main/calendars/feed-address';
import type { SecretStore } from '../../main/session/secret-store';
import type { SettingsView } from '../../main/shared/ipc-channels';
import { fixtureText, PINNED_NOW } from '../harness/calendar-fixtures';
import { SIGN_IN_PAGE, startFeedServer } from '../harness/feed-server';
import { ManualClock } from '../harness/manual-clock';

const MIN = 60_000;

function memoryStore(): SecretStore & { readonly size: () => number } {
  const entries = new Map<string, string>();
  return { get: async (k) => entries.get(k), set: async (k, v) => void entries.set(k, v), delete: async (k) => void entries.delete(k), size: () => entries.size };
}

/** The tray's calendars over a fresh list, its clock at the fixtures' week; Google's and Outlook's fixtures served. */
async function shelf(t: TestContext, names: readonly ('google' | 'outlook')[] = ['google']) {
  const feeds = await startFeedServer(t);
  for (const name of ['google', 'outlook', 'icloud'] as const) feeds.serve(name, fixtureText(name));
  feeds.serve('html', SIGN_IN_PAGE);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-calendars-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const keychain = memoryStore();
  const list = new CalendarList(dataDir, 'svc', keychain);
  for (const name of names) {
    const parsed = parseFeedAddress(feeds.address(name));
    assert.ok(parsed.ok);
    await list.add(parsed.url, () => name);
  }
  const clock = new ManualClock(PINNED_NOW.getTime());
  const store = new StateStore(initialState({}));
  const notes: Note[] = [];
  const calendars = new Calendars({ calendarList: list, clock, store, notify: (n) => void notes.push(n), selfEmails: () => ['jane.doe@example.com'] });
  t.after(() => calendars.dispose());
  return { feeds, dataDir, list, keychain, clock, store, notes, calendars, shown: (name: string) => store.state.calendars?.find((c) => c.name === name) };
}

test("each calendar's Zoom meetings reach the state, each joined by its own link", async (t) => {
  const s = await shelf(t, ['google', 'outlook']);
  await s.calendars.load();
  assert.equal(s.shown('google')?.meetings?.length, 4);
  assert.equal(s.shown('outlook')?.meetings?.length, 6);
  assert.equal(s.shown('google')?.host, '127.0.0.1:' + new URL(s.feeds.origin).port);
  const all = agendaOf(s.store.state);
  assert.ok(all.length > 0 && all.every((m) => m.action.kind === 'join' && m.account === undefined));
});

test('a calendar is read again every 15 minutes by default, conditionally: four requests an hour, answered 304 while it is unchanged', async (t) => {
  const s = await shelf(t);
  await s.calendars.load();
  const before = s.feeds.stats('google');
  await s.clock.advance(60 * MIN);
  const after = s.feeds.stats('google');
  assert.equal(after.requests - before.requests, 4);
  assert.equal(after.notModified - before.notModified, 4);
});

test("a feed's own period (Outlook's X-PUBLISHED-TTL of 30 minutes) is kept to", async (t) => {
  const s = await shelf(t, ['outlook']);
  await s.calendars.load();
  const before = s.feeds.stats('outlook').requests;
  await s.clock.advance(60 * MIN);
  assert.equal(s.feeds.stats('outlook').requests - before, 2);
});

test('a menu open (or a wake) reads only the calendars whose period has passed', async (t) => {
  const s = await shelf(t);
  await s.calendars.load();
  const before = s.feeds.stats('google').requests;
  await s.calendars.refresh();
  assert.equal(s.feeds.stats('google').requests, before, 'fresh: not asked again');
  let changes = 0;
  s.store.onChange(() => changes++);
  await s.calendars.refresh();
  assert.equal(changes, 0, 'nothing due: the state (and the menu) untouched');
  s.clock.jump(20 * MIN); // asleep: the timer did not run
  await s.calendars.refresh();
  assert.equal(s.feeds.stats('google').requests, before + 1);
});

test('a calendar whose address stops working keeps its meetings, is said once, and leaves the other calendars alone', async (t) => {
  const s = await shelf(t, ['google', 'outlook']);
  await s.calendars.load();
  s.feeds.mode('google', 'gone');
  await s.clock.advance(60 * MIN);
  assert.equal(s.shown('google')?.meetings?.length, 4, 'the last good meetings stay');
  assert.ok((s.shown('outlook')?.meetings?.length ?? 0) >= 6, 'the other calendar still shows its meetings');
  assert.ok(!s.notes.some((n) => n.title.includes('outlook')));
  const said = s.notes.filter((n) => n.title === 'Calendar google could not be read');
  assert.equal(said.length, 1, JSON.stringify(s.notes));
  assert.match(said[0]?.body ?? '', /no longer works.*add it again/i);
  assert.ok(!JSON.stringify(s.notes).includes(s.feeds.secrets()[0] ?? '?'), 'never the address');
  assert.match(s.calendars.views().find((c) => c.name === 'google')?.problem ?? '', /no longer works/);
  s.feeds.mode('google', 'ok');
  await s.clock.advance(15 * MIN);
  assert.equal(s.calendars.views().find((c) => c.name === 'google')?.problem, undefined, 'working again');
  s.feeds.mode('google', 'gone');
  await s.clock.advance(15 * MIN);
  assert.equal(s.notes.filter((n) => n.title === 'Calendar google could not be read').length, 2, 'a new run of failures is said again');
});

test('a calendar the CLI removed leaves the tray at the next menu open; one it added is read at once', async (t) => {
  const s = await shelf(t, ['google']);
  await s.calendars.load();
  const cli = new CalendarList(s.dataDir, 'svc', s.keychain);
  await cli.remove('google');
  const parsed = parseFeedAddress(s.feeds.address('outlook'));
  assert.ok(parsed.ok);
  await cli.add(parsed.url, () => 'work');
  await s.calendars.refresh();
  assert.deepEqual(s.store.state.calendars?.map((c) => [c.name, c.meetings?.length]), [['work', 6]]);
  const google = s.feeds.stats('google').requests;
  await s.clock.advance(60 * MIN);
  assert.equal(s.feeds.stats('google').requests, google, 'a removed calendar is never asked again');
});

test("until its first read, a calendar's meetings are unknown (the menu says Loading…, not \"No meetings\")", async (t) => {
  const s = await shelf(t, ['google']);
  s.feeds.mode('google', 'stall');
  const shown = new Promise<void>((resolve) => s.store.onChange((state) => state.calendars && resolve()));
  void s.calendars.load();
  await shown;
  assert.deepEqual(s.store.state.calendars, [{ name: 'google', host: s.shown('google')?.host }]);
});

test("the settings window's Add reads the calendar first: a sign-in page is refused, naming the calendar, and nothing is kept", async (t) => {
  const s = await shelf(t, []);
  const view = (): SettingsView => ({ calendars: s.calendars.views() }) as unknown as SettingsView;
  const refused = await s.calendars.addFromWindow({ address: s.feeds.address('html'), name: 'Work' }, view);
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? '' : refused.message, /Work.*did not answer with a calendar/);
  assert.deepEqual(await s.list.load(), []);
  const bad = await s.calendars.addFromWindow({ address: 'http://example.com/secret-token/basic.ics', name: undefined }, view);
  assert.equal(bad.ok, false);
  assert.ok(!(bad.ok ? '' : bad.message).includes('secret-token'), 'a refused address is not repeated');
});

test("the settings window's Add keeps a calendar that works: its count, and a view with its name and host, never its address", async (t) => {
  const s = await shelf(t, []);
  const view = (): SettingsView => ({ calendars: s.calendars.views() }) as unknown as SettingsView;
  const added = await s.calendars.addFromWindow({ address: s.feeds.address('google'), name: undefined }, view);
  assert.ok(added.ok);
  assert.equal(added.count, 4);
  assert.deepEqual(added.view.calendars.map((c) => c.name), [added.name]);
  assert.equal(s.shown(added.name)?.meetings?.length, 4, 'read and shown at once');
  const files = await readdir(s.dataDir);
  for (const file of files) {
    const text = await readFile(path.join(s.dataDir, file), 'utf8').catch(() => '');
    for (const secret of s.feeds.secrets()) assert.ok(!text.includes(secret), `${file} holds an address`);
  }
  assert.ok(!JSON.stringify(added).includes(s.feeds.secrets()[0] ?? '?'));
});

test("the settings window's Add refuses a name the list could not keep (too long, a link), before reading the calendar, and keeps nothing", async (t) => {
  const s = await shelf(t, []);
  const view = (): SettingsView => ({ calendars: s.calendars.views() }) as unknown as SettingsView;
  for (const name of ['x'.repeat(40), 'https://example.com/x']) {
    const refused = await s.calendars.addFromWindow({ address: s.feeds.address('google'), name }, view);
    assert.equal(refused.ok, false, name);
    assert.match(refused.ok ? '' : refused.message, /^That name cannot be used: a name /);
  }
  assert.equal(s.feeds.stats('google').requests, 0, 'not read');
  assert.deepEqual(await s.list.load(), []);
  assert.equal(s.keychain.size(), 0, 'no address kept');
});

test("what the CLI's endpoint answers from: every calendar's meetings while each was read lately, without failure, from the list the CLI would read; else nothing, and no feed asked", async (t) => {
  const s = await shelf(t, ['google', 'outlook']);
  await s.calendars.load();
  const asked = (): number[] => [s.feeds.stats('google').requests, s.feeds.stats('outlook').requests];
  const held = await s.calendars.current(16 * MIN);
  assert.deepEqual(held?.map((list) => list.length), [4, 6]);
  assert.deepEqual(asked(), [1, 1]);
  // Google's period (15 minutes) has passed, not yet read again: the CLI would read it.
  s.clock.jump(15 * MIN);
  assert.equal(await s.calendars.current(60 * MIN), undefined, 'a calendar whose period has passed');
  assert.deepEqual(asked(), [1, 1], 'no feed asked');
  await s.clock.advance(0);
  assert.deepEqual(asked(), [2, 1]);
  // Outlook's (30 minutes) has not, but its read is older than the bound.
  s.clock.jump(1 * MIN);
  assert.equal(await s.calendars.current(16 * MIN), undefined, 'a calendar read 16 minutes ago');
  assert.ok(await s.calendars.current(17 * MIN), 'both within 17 minutes');
  s.feeds.mode('google', 'gone');
  await s.clock.advance(15 * MIN);
  assert.equal(s.feeds.stats('google').requests, 3);
  assert.equal(await s.calendars.current(60 * MIN), undefined, 'a calendar whose last read failed');
});

test("the CLI's endpoint answers from no calendar list but the one stored: one the CLI added, or a list that cannot be read, and nothing", async (t) => {
  const s = await shelf(t, ['google']);
  await s.calendars.load();
  assert.ok(await s.calendars.current(16 * MIN));
  const parsed = parseFeedAddress(s.feeds.address('outlook'));
  assert.ok(parsed.ok);
  await s.list.add(parsed.url, () => 'work');
  assert.equal(await s.calendars.current(16 * MIN), undefined, 'a calendar the CLI added');
  assert.equal(s.feeds.stats('outlook').requests, 0);
  await s.calendars.load();
  assert.ok(await s.calendars.current(16 * MIN));
  await writeFile(path.join(s.dataDir, 'calendars-svc.json'), '{ not json');
  assert.equal(await s.calendars.current(16 * MIN), undefined, 'a list that cannot be read');
});
