import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppState } from '../../main/app/state';
import { DEFAULT_SETTINGS } from '../../main/shared/settings-schema';
import { type MenuItemModel, menuModel, trayIcon } from '../../main/tray/menu-model';
import { meeting } from '../harness/meetings';

const now = new Date(2026, 10, 23, 12, 0); // local time, like the menu
const at = (dayOffset: number, hour: number, minute = 0): string => new Date(2026, 10, 23 + dayOffset, hour, minute).toISOString();
const formatTime = (d: Date): string => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

const signedIn: AppState = {
  auth: 'signed-in',
  user: { id: 'u', email: 'jane@example.com', first_name: 'Jane', last_name: 'Doe', pmi: '5551234567', personal_meeting_url: 'https://zoom.us/j/5551234567' },
  meetings: [
    meeting({ id: '3', topic: 'Planning', start: at(2, 9), duration: 60 }),
    meeting({ id: '2', topic: 'Weekly sync', start: at(1, 9, 30), duration: 30 }),
    meeting({ id: '1', topic: 'Design & review', start: at(0, 14), duration: 45 }),
    meeting({ id: '0', topic: 'Done already', start: at(0, 9), duration: 30 }),
  ],
  settings: DEFAULT_SETTINGS,
  shortcut: { accelerator: DEFAULT_SETTINGS.shortcut, active: true },
  hasClientSecret: false,
  hasGovClientSecret: false,
  lockedByEnv: [],
};

function omit(state: AppState, ...keys: (keyof AppState)[]): AppState {
  const copy: Record<string, unknown> = { ...state };
  for (const key of keys) delete copy[key];
  return copy as unknown as AppState;
}

const labels = (items: MenuItemModel[]): string[] => items.map((i) => (i.type === 'separator' ? '---' : (i.label ?? '')));
const find = (items: MenuItemModel[], label: string): MenuItemModel | undefined => items.find((i) => i.label === label);

test('signed in: who, start actions, upcoming today and tomorrow in local time, invite, settings, sign out, quit', () => {
  const items = menuModel(signedIn, { now, formatTime });
  assert.deepEqual(labels(items), [
    'Jane Doe (jane@example.com)',
    '---',
    'Start my personal meeting room',
    'New instant meeting',
    '---',
    'Upcoming',
    'Start · 14:00  Design && review',
    'Start · Tomorrow 09:30  Weekly sync',
    'Copy invitation',
    'Copy meeting ID and passcode',
    '---',
    'Copy invite link',
    'Join meeting from clipboard',
    '---',
    'Settings…',
    'Sign out',
    '---',
    'Quit zoom-tray',
  ]);
  assert.deepEqual(find(items, 'Start my personal meeting room')?.action, { type: 'start', target: { kind: 'pmi' } });
  assert.equal(find(items, 'Start my personal meeting room')?.accelerator, 'CommandOrControl+Alt+Shift+Z');
  assert.deepEqual(find(items, 'Start · 14:00  Design && review')?.action, { type: 'start', target: { kind: 'id', id: '1' } });
  assert.equal(find(items, 'Jane Doe (jane@example.com)')?.action, undefined, 'information lines do nothing');
});

test('the Copy submenus copy invitations and passcodes as the account that hosts each; every meeting stays one click from starting', () => {
  const items = menuModel(signedIn, { now, formatTime });
  for (const [label, what] of [['Copy invitation', 'invitation'], ['Copy meeting ID and passcode', 'id-and-passcode']] as const) {
    const item = find(items, label);
    assert.equal(item?.action, undefined, 'a submenu opens; it does nothing itself');
    assert.deepEqual(labels([...(item?.submenu ?? [])]), ['Personal meeting room', '---', 'Start · 14:00  Design && review', 'Start · Tomorrow 09:30  Weekly sync']);
    assert.deepEqual(
      item?.submenu?.filter((i) => i.action).map((i) => i.action),
      [
        { type: 'copy', what, target: { kind: 'pmi' } },
        { type: 'copy', what, target: { kind: 'id', id: '1' } },
        { type: 'copy', what, target: { kind: 'id', id: '2' } },
      ],
    );
  }
  const loading = find(menuModel(omit(signedIn, 'meetings'), { now, formatTime }), 'Copy invitation');
  assert.deepEqual(labels([...(loading?.submenu ?? [])]), ['Personal meeting room'], 'meetings not loaded yet: the personal room still copies');
  const other = { email: 'sam@example.gov', cloud: 'gov' } as const;
  const withOther = menuModel({ ...signedIn, account: { email: 'jane@example.com', cloud: 'commercial' }, others: [{ account: other, signedIn: true, meetings: [] }] }, { now, formatTime });
  const copies = withOther.filter((i) => i.label === 'Copy invitation');
  assert.equal(copies.length, 1, 'one submenu for every account');
  assert.deepEqual(copies[0]?.submenu?.[1], { label: 'Personal meeting room · sam@example.gov', action: { type: 'copy', what: 'invitation', target: { kind: 'pmi' }, account: other } });
});

test('the shortcut is shown on whichever item it starts, and nowhere when it is not registered', () => {
  const next = menuModel({ ...signedIn, settings: { ...DEFAULT_SETTINGS, defaultMeeting: 'next' } }, { now, formatTime });
  assert.equal(find(next, 'Start · 14:00  Design && review')?.accelerator, DEFAULT_SETTINGS.shortcut);
  assert.equal(find(next, 'Start my personal meeting room')?.accelerator, undefined);
  const instant = menuModel({ ...signedIn, settings: { ...DEFAULT_SETTINGS, defaultMeeting: 'instant' } }, { now, formatTime });
  assert.equal(find(instant, 'New instant meeting')?.accelerator, DEFAULT_SETTINGS.shortcut);
  const taken = menuModel({ ...signedIn, shortcut: { accelerator: 'Alt+Z', active: false, problem: 'taken' } }, { now, formatTime });
  assert.ok(taken.every((i) => i.accelerator === undefined));
  assert.deepEqual(find(taken, '⚠ Shortcut Alt+Z is taken — change it…')?.action, { type: 'settings' });
});

test('the join-from-clipboard shortcut shows beside its item, signed in or not; a taken one is said like the other', () => {
  const join = { accelerator: 'CommandOrControl+Alt+J', active: true };
  assert.equal(find(menuModel({ ...signedIn, joinShortcut: join }, { now, formatTime }), 'Join meeting from clipboard')?.accelerator, 'CommandOrControl+Alt+J');
  const out = menuModel({ ...omit(signedIn, 'user', 'meetings'), auth: 'signed-out', joinShortcut: join }, { now });
  assert.equal(find(out, 'Join meeting from clipboard')?.accelerator, 'CommandOrControl+Alt+J');
  assert.equal(find(menuModel(signedIn, { now, formatTime }), 'Join meeting from clipboard')?.accelerator, undefined, 'none set');
  const taken = { ...signedIn, joinShortcut: { accelerator: 'Alt+J', active: false, problem: 'Alt+J is taken by another app.' } };
  const items = menuModel(taken, { now, formatTime });
  assert.equal(find(items, 'Join meeting from clipboard')?.accelerator, undefined);
  assert.deepEqual(find(items, '⚠ Shortcut Alt+J is taken — change it…')?.action, { type: 'settings' });
  assert.deepEqual(trayIcon(taken, now), { icon: 'error', tooltip: 'zoom-tray — Alt+J is taken by another app.' });
});

test('signed out, signing in, needing setup', () => {
  const out = menuModel({ ...omit(signedIn, 'user', 'meetings'), auth: 'signed-out' }, { now });
  assert.deepEqual(labels(out), ['Sign in to Zoom…', 'Join meeting from clipboard', '---', 'Settings…', '---', 'Quit zoom-tray']);
  assert.deepEqual(find(out, 'Join meeting from clipboard')?.action, { type: 'join-clipboard' }, 'joining needs no sign-in');
  const waiting = menuModel({ ...omit(signedIn, 'user'), auth: 'signing-in' }, { now });
  assert.deepEqual(labels(waiting).slice(0, 2), ['Waiting for browser sign-in…', 'Cancel sign-in']);
  assert.deepEqual(find(waiting, 'Cancel sign-in')?.action, { type: 'cancel-sign-in' });
  const setup = menuModel({ ...omit(signedIn, 'user'), auth: 'needs-setup' }, { now });
  assert.deepEqual(labels(setup), ['Set up zoom-tray…', '---', 'Quit zoom-tray']);
});

test('loading and empty upcoming sections say so', () => {
  assert.ok(labels(menuModel(omit(signedIn, 'meetings'), { now })).includes('  Loading…'));
  assert.ok(labels(menuModel({ ...signedIn, meetings: [] }, { now })).includes('  No meetings today or tomorrow'));
});

test('tray icon: busy while starting or signing in, error on a problem, ready, signed out', () => {
  assert.equal(trayIcon(signedIn).icon, 'ready');
  assert.equal(trayIcon({ ...signedIn, busy: 'Starting…' }).icon, 'busy');
  assert.equal(trayIcon({ ...signedIn, auth: 'signing-in' }).icon, 'busy');
  assert.equal(trayIcon({ ...signedIn, problem: 'Cannot reach Zoom' }).tooltip, 'zoom-tray — Cannot reach Zoom');
  assert.equal(trayIcon({ ...signedIn, auth: 'signed-out' }).icon, 'signed-out');
});

test('what the updater offers sits just above Quit, in every state', () => {
  const updates = [{ label: 'Restart to update to 1.2.3', action: { type: 'restart-to-update' } }] as const;
  for (const auth of ['starting', 'needs-setup', 'signed-out', 'signing-in', 'signed-in'] as const) {
    const items = labels(menuModel({ ...signedIn, auth }, { now, formatTime, updates }));
    assert.deepEqual(items.slice(-3), ['---', 'Restart to update to 1.2.3', 'Quit zoom-tray'], auth);
  }
  assert.deepEqual(labels(menuModel(signedIn, { now, formatTime })).slice(-2), ['---', 'Quit zoom-tray'], 'nothing when the updater has nothing to say');
});

test('starting: nothing is offered that needs the configuration, only Settings and Quit', () => {
  assert.deepEqual(labels(menuModel({ ...signedIn, auth: 'starting' }, { now, formatTime })), ['Starting…', '---', 'Settings…', '---', 'Quit zoom-tray']);
});

test('several accounts: the default first, then each other account under its heading, its clicks naming it', () => {
  const bob = { email: 'bob@agency.gov', cloud: 'gov' } as const;
  const state: AppState = {
    ...signedIn,
    others: [
      { account: bob, signedIn: true, user: { id: 'b', email: bob.email, first_name: 'Bob' }, meetings: [meeting({ id: '9', topic: 'Budget', start: at(0, 15), duration: 30, account: bob })] },
      { account: { email: 'carol@example.com', cloud: 'commercial' }, signedIn: false },
    ],
  };
  const items = menuModel(state, { now, formatTime });
  const all = labels(items);
  const heading = all.indexOf('Bob (bob@agency.gov) · ZoomGov');
  assert.ok(heading > all.indexOf('Start · 14:00  Design && review'), 'after the default account');
  assert.deepEqual(all.slice(heading, heading + 3), ['Bob (bob@agency.gov) · ZoomGov', 'Start my personal meeting room', 'New instant meeting']);
  assert.deepEqual(items[heading + 1]?.action, { type: 'start', target: { kind: 'pmi' }, account: bob });
  assert.deepEqual(all.slice(all.indexOf('Upcoming') + 1, all.indexOf('Upcoming') + 4), ['Start · 14:00  Design && review', 'Start · 15:00  Budget  · bob@agency.gov', 'Start · Tomorrow 09:30  Weekly sync'], "every account's meetings in one list, soonest first, each naming the account that starts it");
  assert.deepEqual(find(items, 'Start · 15:00  Budget  · bob@agency.gov')?.action, { type: 'start', target: { kind: 'id', id: '9' }, account: bob });
  assert.equal(items[heading + 1]?.accelerator, undefined, 'the shortcut belongs to the default account');
  assert.equal(find(items, 'Start my personal meeting room')?.action?.type, 'start');
  assert.deepEqual(find(items, 'Start my personal meeting room')?.action, { type: 'start', target: { kind: 'pmi' } }, 'the first is the default account');
  const jane = { email: 'jane@example.com', cloud: 'commercial' } as const;
  const named = menuModel({ ...state, account: jane }, { now, formatTime });
  assert.deepEqual(find(named, 'Start my personal meeting room')?.action, { type: 'start', target: { kind: 'pmi' }, account: jane }, 'which a click names, should the default change while the menu is open');
  assert.deepEqual(find(named, 'Sign out')?.action, { type: 'sign-out', account: jane });
  const carol = items.find((i) => i.label?.startsWith('⚠ carol@example.com'));
  assert.deepEqual(carol?.action, { type: 'settings' }, 'an account Zoom signed out says so and leads to Settings');
});

test("a topic's control and bidi characters are shown as placeholders, in the menu and in the countdown", () => {
  const state: AppState = { ...signedIn, meetings: [meeting({ id: '9', topic: 'Design\u202eweiver\u001b[31m & co', start: at(0, 12, 30), duration: 30 })] };
  const items = menuModel(state, { now, formatTime });
  assert.ok(find(items, 'Start · 12:30  Design\uFFFDweiver\uFFFD[31m && co'), JSON.stringify(labels(items)));
  const copies = items.find((i) => i.label === 'Copy invitation')?.submenu ?? [];
  assert.ok(copies.some((i) => i.label === 'Start · 12:30  Design\uFFFDweiver\uFFFD[31m && co'));
  assert.equal(trayIcon(state, now).tooltip, 'zoom-tray — Design\uFFFDweiver\uFFFD[31m & co in 30 min');
});

const theirs = meeting({ id: '83333333333', topic: 'Vendor call', start: at(0, 13), duration: 30, join: 'https://us06web.zoom.us/j/83333333333?pwd=abc' });
const fromCalendar = (m: Parameters<typeof meeting>[0], name = 'Work') => ({ ...meeting(m), sources: [`calendar:${name}`] });

test('a meeting someone else hosts says "Join" and opens its own link; its copies copy that link', () => {
  const items = menuModel({ ...signedIn, meetings: [...(signedIn.meetings ?? []), theirs] }, { now, formatTime });
  assert.deepEqual(labels(items).slice(6, 9), ['Join · 13:00  Vendor call', 'Start · 14:00  Design && review', 'Start · Tomorrow 09:30  Weekly sync']);
  assert.deepEqual(find(items, 'Join · 13:00  Vendor call')?.action, { type: 'join', url: 'https://us06web.zoom.us/j/83333333333?pwd=abc' });
  for (const label of ['Copy invitation', 'Copy meeting ID and passcode']) {
    const copy = find(items, label)?.submenu?.find((i) => i.label === 'Join · 13:00  Vendor call');
    assert.deepEqual(copy?.action, { type: 'copy-link', url: 'https://us06web.zoom.us/j/83333333333?pwd=abc', topic: 'Vendor call' }, `${label}: never Zoom's invitation of a meeting the account does not host`);
  }
});

test("the next-meeting shortcut's key sits on the next meeting the default account hosts, not on a join before it", () => {
  const items = menuModel({ ...signedIn, meetings: [...(signedIn.meetings ?? []), theirs], settings: { ...DEFAULT_SETTINGS, defaultMeeting: 'next' } }, { now, formatTime });
  assert.equal(find(items, 'Join · 13:00  Vendor call')?.accelerator, undefined);
  assert.equal(find(items, 'Start · 14:00  Design && review')?.accelerator, DEFAULT_SETTINGS.shortcut);
});

test("calendars' meetings are listed beside Zoom's, soonest first; one that an account hosts is that meeting, started as host", () => {
  const state: AppState = {
    ...signedIn,
    calendars: [
      {
        name: 'Work',
        host: 'calendar.google.com',
        meetings: [
          fromCalendar({ id: '84444444444', topic: 'Roadmap', start: at(0, 12, 30), join: 'https://zoom.us/j/84444444444?pwd=r' }),
          fromCalendar({ id: '1', topic: 'Design review (calendar copy)', start: at(0, 14), join: 'https://zoom.us/j/1' }),
        ],
      },
    ],
  };
  const all = labels(menuModel(state, { now, formatTime }));
  assert.deepEqual(all.slice(all.indexOf('Upcoming') + 1, all.indexOf('Upcoming') + 4), ['Join · 12:30  Roadmap', 'Start · 14:00  Design && review', 'Start · Tomorrow 09:30  Weekly sync']);
});

test('signed out, the calendars still list their meetings, each joined by its link', () => {
  const state: AppState = { ...omit(signedIn, 'user', 'meetings'), auth: 'signed-out', calendars: [{ name: 'Work', host: 'calendar.google.com', meetings: [fromCalendar({ id: '84444444444', topic: 'Roadmap', start: at(0, 12, 30), join: 'https://zoom.us/j/84444444444' })] }] };
  const items = menuModel(state, { now, formatTime });
  assert.deepEqual(labels(items).slice(0, 5), ['Sign in to Zoom…', '---', 'Upcoming', 'Join · 12:30  Roadmap', '---']);
  assert.equal(find(items, 'Copy invitation'), undefined, 'nothing to copy as an account');
  assert.deepEqual(labels(menuModel({ ...state, calendars: [{ name: 'Work', host: 'calendar.google.com' }] }, { now })).slice(2, 4), ['Upcoming', '  Loading…']);
});
