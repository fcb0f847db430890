import assert from 'node:assert/strict';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { calendarAddressService } from '../../main/calendars/calendar-list';
import type { CalendarAddResult, SaveResult, SettingsView } from '../../main/shared/ipc-channels';
import { DEFAULT_SHORTCUT } from '../../main/shared/settings-schema';
import { AppDriver } from '../harness/app-driver';
import { answerConsent, launchChromium } from '../harness/browser';
import { startFeedServer } from '../harness/feed-server';
import { leakedSecrets, signedIn, signedOut, type World } from '../harness/fixtures';
import { bootApp, openedUrl, openSettings, settingsWindow, urlOpenedBy, zoomCalls } from '../harness/integration';

/** A signed-in app whose caches are warm: user, meetings and a ZAK fetched. */
async function warmApp(t: TestContext): Promise<{ w: World; app: AppDriver }> {
  const w = await signedIn(t);
  const app = bootApp(t, w.env);
  await app.untilMenuHas(/Design review$/);
  await app.until('prefetched ZAK', async () => (w.sim.stats.apiCalls['GET /v2/users/me/token'] ?? 0) >= 1);
  return { w, app };
}

/** Runs `act` and returns the notification it made the app show. */
async function notificationOf(app: AppDriver, act: () => Promise<unknown>): Promise<{ title: string; body: string }> {
  const shown = (await app.snapshot()).notifications.length;
  await act();
  return app.until('a notification', async () => (await app.snapshot()).notifications[shown]);
}

/** Another launch of the app with this command line, as a launcher or a second click would start it; answers its exit code. */
function launchAgain(w: World, args: readonly string[] = []): Promise<number | null> {
  return AppDriver.boot(w.env, args).exited;
}

test('signed out: the menu offers sign-in, the icon says so, the shortcut is registered, every file the app asked for exists', async (t) => {
  const w = await signedOut(t);
  const app = bootApp(t, w.env);
  await app.untilMenuHas('Sign in to Zoom…');
  assert.deepEqual(await app.labels(), ['Sign in to Zoom…', 'Join meeting from clipboard', '---', 'Settings…', '---', 'Quit zoom-tray']);
  const snap = await app.snapshot();
  assert.match(snap.tray.image, /signed-out\.png$/);
  assert.deepEqual(snap.shortcuts, [DEFAULT_SHORTCUT]);
  assert.deepEqual(snap.missingFiles, []);
});

test('sign-in in the browser: consent clicked in Chromium, then the menu lists who and what is upcoming', async (t) => {
  const w = await signedOut(t);
  const browser = await launchChromium();
  t.after(() => browser.close());
  const app = bootApp(t, w.env);
  await app.untilMenuHas('Sign in to Zoom…');
  await app.click('Sign in to Zoom…');
  await app.untilMenuHas('Waiting for browser sign-in…');
  assert.match((await app.snapshot()).tray.image, /busy\.png$/);
  const authorizeUrl = await openedUrl(app, 1);
  assert.match(authorizeUrl, /\/oauth\/authorize\?.*code_challenge_method=S256/);
  assert.match(await answerConsent(browser, authorizeUrl, 'Allow'), /You can close this tab/);
  await app.untilMenuHas('Jane Doe (jane.doe@example.com)');
  await app.untilMenuHas(/^Start · (Tomorrow )?\d\d:\d\d( [AP]M)? {2}Design review$/);
  const menu = await app.menu();
  assert.equal(menu.find((i) => i.label === 'Start my personal meeting room')?.accelerator, DEFAULT_SHORTCUT, 'the default meeting shows the shortcut');
  assert.ok(menu.some((i) => i.label === 'Upcoming' && !i.enabled));
  await app.until('ready icon', async () => /ready\.png$/.test((await app.snapshot()).tray.image));
  assert.equal((await w.stored())?.account, 'jane.doe@example.com');
  assert.deepEqual(leakedSecrets(w.sim, app.output), []);
});

test('a click starts the personal room with no network wait and no menu rebuild: user and ZAK were prefetched', async (t) => {
  const { w, app } = await warmApp(t);
  const before = zoomCalls(w.sim);
  const menus = (await app.snapshot()).menusSet;
  await app.click('Start my personal meeting room');
  const url = await openedUrl(app, 1);
  assert.equal(zoomCalls(w.sim), before, 'no Zoom call on the click path');
  assert.equal((await app.snapshot()).menusSet, menus, 'nothing the menu shows changed');
  assert.match(url, new RegExp(`^${w.sim.origin}/s/5551234567\\?zak=`));
  assert.equal((await fetch(url)).status, 200, 'the ZAK really starts the meeting');
});

test('the global shortcut starts the default meeting, also without a network call', async (t) => {
  const { w, app } = await warmApp(t);
  const before = zoomCalls(w.sim);
  assert.equal(await app.shortcut(DEFAULT_SHORTCUT), true);
  assert.match(await openedUrl(app, 1), /\/s\/5551234567\?zak=/);
  assert.equal(zoomCalls(w.sim), before);
});

test('an upcoming meeting starts from the menu', async (t) => {
  const { app } = await warmApp(t);
  await app.click(await app.untilMenuHas(/Design review$/));
  assert.match(await openedUrl(app, 1), /\/s\/81234567890\?zak=/);
});

test('a second launch hands its command line to the running app and exits', async (t) => {
  const { w, app } = await warmApp(t);
  await t.test('--start: the running app starts the meeting from its caches, with no request', async () => {
    const before = zoomCalls(w.sim);
    const url = await urlOpenedBy(app, async () => assert.equal(await launchAgain(w, ['--start', 'next']), 0));
    assert.match(url, /\/s\/81234567890\?zak=/);
    assert.equal(zoomCalls(w.sim), before, '0 requests: the running app had everything');
  });
  await t.test('no arguments: the running app opens its settings window', async () => {
    assert.notEqual((await app.snapshot()).window?.visible, true, 'no settings window before the launch');
    assert.equal(await launchAgain(w), 0);
    await settingsWindow(app);
  });
  await t.test('--start with an unknown meeting: a notification says so, and nothing opens', async () => {
    const opened = (await app.snapshot()).opened.length;
    const note = await notificationOf(app, async () => assert.equal(await launchAgain(w, ['--start', 'rm -rf /']), 0));
    assert.match(note.body, /Unknown meeting "rm -rf \/"/);
    assert.equal((await app.snapshot()).opened.length, opened, 'nothing was opened');
  });
});

test('the first launch with --start starts the meeting once it is ready', async (t) => {
  const w = await signedIn(t);
  const app = bootApp(t, w.env, ['--start', 'pmi']);
  assert.match(await openedUrl(app, 1), /\/s\/5551234567\?zak=/);
});

test('settings window: locked down, IPC typed and sender-checked, saving re-registers the shortcut', async (t) => {
  const { app } = await warmApp(t);
  const window = await openSettings(app);

  await t.test('the window is locked down: isolated, sandboxed, no Node, our preload; no new windows or permissions', () => {
    assert.match(window.page, /dist\/renderer\/index\.html$/);
    assert.equal(window.webPreferences.contextIsolation, true);
    assert.equal(window.webPreferences.sandbox, true);
    assert.equal(window.webPreferences.nodeIntegration, false);
    assert.match(String(window.webPreferences.preload), /dist\/preload\.js$/);
    assert.equal(window.deniesNewWindows, true);
    assert.equal(window.deniesPermissions, true);
  });

  await t.test('IPC answers only the settings page, and only payloads of the right shape', async () => {
    const view = await app.ipc<SettingsView>('settings:get', null);
    assert.equal(view.auth.status, 'signed-in');
    assert.equal(view.auth.account, 'jane.doe@example.com');
    assert.deepEqual([...view.lockedByEnv].sort(), ['clientId', 'redirectUri']);
    assert.match(view.startCommand, new RegExp(` --start ${view.settings.defaultMeeting}$`));
    await assert.rejects(app.ipc('settings:get', null, false), /untrusted sender/);
    await assert.rejects(app.ipc('settings:get', { sneaky: true }), /takes no payload/);
    await assert.rejects(app.ipc('auth:sign-out', { sneaky: true }), /takes an account/);
    await assert.rejects(app.ipc('accounts:make-default', { email: 'jane.doe@example.com', cloud: 'mars' }), /takes an account/);
    await assert.rejects(app.ipc('auth:sign-in', { cloud: 'mars' }), /takes a cloud/);
  });

  await t.test('an invalid save is refused and changes nothing', async () => {
    const view = await app.ipc<SettingsView>('settings:get', null);
    const shortcuts = (await app.snapshot()).shortcuts;
    const bad = await app.ipc<SaveResult>('settings:save', { ...view.settings, shortcut: 'Q' });
    assert.equal(bad.ok, false);
    assert.deepEqual((await app.snapshot()).shortcuts, shortcuts);
  });

  await t.test('a save re-registers the shortcut, which shows on the meeting it now starts; the window hears of it', async () => {
    const view = await app.ipc<SettingsView>('settings:get', null);
    const pushes = (await app.snapshot()).window?.pushes ?? 0;
    const saved = await app.ipc<SaveResult>('settings:save', { ...view.settings, defaultMeeting: 'next', shortcut: 'Control+Alt+N' });
    assert.equal(saved.ok, true);
    assert.deepEqual((await app.snapshot()).shortcuts, ['Control+Alt+N']);
    const first = (await app.menu()).find((i) => /Design review$/.test(i.label));
    assert.equal(first?.accelerator, 'Control+Alt+N', 'the shortcut now shows on the next meeting');
    const url = await urlOpenedBy(app, async () => assert.equal(await app.shortcut('Control+Alt+N'), true));
    assert.match(url, /\/s\/81234567890\?zak=/);
    assert.ok(((await app.snapshot()).window?.pushes ?? 0) > pushes, 'the window hears about changes');
  });
});

test('a save that cannot be written says why instead of hanging, and changes nothing', async (t) => {
  const { w, app } = await warmApp(t);
  await openSettings(app);
  const view = await app.ipc<SettingsView>('settings:get', null);
  // The settings file's place is taken by a folder: the atomic rename cannot replace it.
  await mkdir(path.join(w.dataDir, 'settings.json', 'blocker'), { recursive: true });
  const result = await app.ipc<SaveResult>('settings:save', { ...view.settings, shortcut: 'Control+Alt+N' });
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : (result.message ?? ''), /could not be saved to .*settings\.json/);
  assert.deepEqual((await app.snapshot()).shortcuts, [DEFAULT_SHORTCUT]);
});

test('a failure on the click path becomes a notification that says what to do', async (t) => {
  const { w, app } = await warmApp(t);
  w.sim.faults.rateLimit = { count: 1, retryAfter: 30 };
  await app.click('New instant meeting');
  const note = await app.until('a notification', async () => (await app.snapshot()).notifications.at(-1));
  assert.deepEqual(note, { title: 'Zoom is busy', body: "Zoom's rate limit was reached. Try again in 30 seconds." });
});

test('resume from sleep refreshes user, meetings and ZAK', async (t) => {
  const { w, app } = await warmApp(t);
  const before = { ...w.sim.stats.apiCalls };
  // Ten minutes asleep: what was asked in the last minute is not asked again on waking (a wake the
  // moment after start-up asks nothing twice), so the sleep must be longer than that.
  await app.sleepTo(Date.now() + 10 * 60_000);
  await app.call({ op: 'resume' });
  await app.until('refresh calls', async () =>
    ['GET /v2/users/me', 'GET /v2/users/me/meetings', 'GET /v2/users/me/token'].every((r) => (w.sim.stats.apiCalls[r] ?? 0) > (before[r] ?? 0)),
  );
});

test('sign out revokes at Zoom, empties the keychain and the menu', async (t) => {
  const { w, app } = await warmApp(t);
  await app.click('Sign out');
  await app.untilMenuHas('Sign in to Zoom…');
  assert.equal(await w.stored(), undefined);
  assert.equal(w.sim.stats.revocations, 1);
});

test('a shortcut taken by another app is reported in the menu and the settings window', async (t) => {
  const w = await signedOut(t);
  const app = bootApp(t, { ...w.env, ZOOM_TRAY_TEST_TAKEN_SHORTCUTS: DEFAULT_SHORTCUT });
  const label = await app.untilMenuHas(/^⚠ Shortcut .* is taken — change it…$/);
  assert.equal(label, `⚠ Shortcut ${DEFAULT_SHORTCUT} is taken — change it…`);
  assert.match((await app.snapshot()).tray.image, /error\.png$/);
  await app.click(label);
  await settingsWindow(app);
  const view = await app.ipc<SettingsView>('settings:get', null);
  assert.match(view.shortcutProblem ?? '', /taken by another app/);
});

test('cancelling a sign-in goes back quietly and frees the loopback port for the next attempt', async (t) => {
  const w = await signedOut(t);
  const app = bootApp(t, w.env);
  await app.untilMenuHas('Sign in to Zoom…');
  await app.click('Sign in to Zoom…');
  await app.click('Cancel sign-in');
  await app.untilMenuHas('Sign in to Zoom…');
  assert.deepEqual((await app.snapshot()).notifications, []);
  await app.click('Sign in to Zoom…');
  await app.untilMenuHas('Waiting for browser sign-in…');
});

test('on Wayland the settings say what the desktop will ask, and which command to bind instead', async (t) => {
  const w = await signedOut(t);
  const app = bootApp(t, { ...w.env, XDG_SESSION_TYPE: 'wayland' });
  await app.untilMenuHas('Sign in to Zoom…');
  await openSettings(app);
  const view = await app.ipc<SettingsView>('settings:get', null);
  assert.match(view.shortcutNote ?? '', /desktop asks once/);
  assert.match(view.startCommand, / --start pmi$/);
});

test('first run without a client ID asks for setup and opens the settings window', async (t) => {
  const w = await signedOut(t);
  const app = bootApp(t, { ...w.env, ZOOM_CLIENT_ID: '', XDG_CONFIG_HOME: w.dataDir });
  await app.untilMenuHas('Set up zoom-tray…');
  await settingsWindow(app);
  const saved = await app.ipc<SaveResult>('settings:save', {
    clientId: w.sim.clients[0]?.clientId,
    redirectUri: w.redirectUri,
    defaultMeeting: 'pmi',
    shortcut: DEFAULT_SHORTCUT,
    launchAtLogin: true,
  });
  assert.equal(saved.ok, true);
  await app.untilMenuHas('Sign in to Zoom…');
  const entry = await readFile(path.join(w.dataDir, 'autostart', 'zoom-tray.desktop'), 'utf8');
  assert.match(entry, new RegExp(`Exec=${process.execPath.replace(/[.]/g, '\\.')} `), 'launch at login starts this app');
  const stored = JSON.parse(await readFile(path.join(w.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(stored.clientId, w.sim.clients[0]?.clientId);
  assert.equal(stored.launchAtLogin, true);
});

test('a configuration problem other than a missing client ID is said in the menu', async (t) => {
  const w = await signedOut(t);
  const app = bootApp(t, { ...w.env, ZOOM_API_URL: 'http://api.example.com/v2' });
  await app.untilMenuHas(/^⚠ ZOOM_API_URL must be an https URL/);
  assert.ok((await app.labels()).includes('Set up zoom-tray…'));
});

test("while Zoom's rate limit holds the menu says so; the next successful refresh clears it", async (t) => {
  const { w, app } = await warmApp(t);
  w.sim.faults.rateLimit = { count: 10, retryAfter: 60 };
  await app.call({ op: 'resume' });
  await app.untilMenuHas('⚠ Zoom is busy');
  assert.match((await app.snapshot()).tray.image, /error\.png$/);
  w.sim.faults.rateLimit = { count: 0 };
  await app.call({ op: 'resume' });
  await app.until('problem cleared', async () => !(await app.labels()).some((l) => l.startsWith('⚠')));
  assert.match((await app.snapshot()).tray.image, /ready\.png$/);
});

test('the keychain runs in a utility process, and the app printed no secret', async (t) => {
  const { w, app } = await warmApp(t);
  await app.click('Start my personal meeting room');
  await openedUrl(app, 1);
  assert.ok((await app.snapshot()).utilityProcesses >= 1);
  assert.deepEqual(leakedSecrets(w.sim, app.output), []);
});

test('"Join meeting from clipboard" (and its optional shortcut) opens the Zoom link another app copied, with no request', async (t) => {
  const { w, app } = await warmApp(t);

  await t.test('a Zoom link opens, without its tracking parameters', async () => {
    const before = zoomCalls(w.sim);
    await app.call({ op: 'set-clipboard', text: 'https://us06web.zoom.us/j/81234567890?pwd=AbC1&utm_source=mail' });
    assert.equal(await urlOpenedBy(app, () => app.click('Join meeting from clipboard')), 'https://us06web.zoom.us/j/81234567890?pwd=AbC1');
    assert.equal(zoomCalls(w.sim), before);
  });

  await t.test('a link to anywhere else is refused with a notification, and nothing opens', async () => {
    const opened = (await app.snapshot()).opened.length;
    await app.call({ op: 'set-clipboard', text: 'https://evil.example/j/81234567890' });
    const note = await notificationOf(app, () => app.click('Join meeting from clipboard'));
    assert.equal(note.title, 'No Zoom meeting on the clipboard');
    assert.equal((await app.snapshot()).opened.length, opened, 'nothing was opened');
  });

  await t.test('the optional second shortcut does the same, and shows beside the item', async () => {
    const before = zoomCalls(w.sim);
    await openSettings(app);
    const view = await app.ipc<SettingsView>('settings:get', null);
    assert.equal((await app.ipc<SaveResult>('settings:save', { ...view.settings, joinShortcut: 'Control+Alt+J' })).ok, true);
    assert.deepEqual((await app.snapshot()).shortcuts, [DEFAULT_SHORTCUT, 'Control+Alt+J']);
    assert.equal((await app.menu()).find((i) => i.label === 'Join meeting from clipboard')?.accelerator, 'Control+Alt+J');
    await app.call({ op: 'set-clipboard', text: '823 4567 8901' });
    const url = await urlOpenedBy(app, async () => assert.equal(await app.shortcut('Control+Alt+J'), true));
    assert.equal(url, `${w.sim.origin}/j/82345678901`);
    assert.equal(zoomCalls(w.sim), before);
  });
});

test('zoom-tray:// links from a launcher: each starts the right meeting with 0 requests; join opens the link; a bad one is refused', async (t) => {
  const { w, app } = await warmApp(t);

  await t.test('each link is handed over and opens its meeting from the caches', async () => {
    const before = zoomCalls(w.sim);
    const join = `zoom-tray://join?url=${encodeURIComponent('https://us06web.zoom.us/j/81234567890?pwd=AbC1&utm=x')}`;
    const opens: [string, RegExp][] = [
      ['zoom-tray://start/pmi', /\/s\/5551234567\?zak=/],
      ['zoom-tray://start/next', /\/s\/81234567890\?zak=/],
      ['zoom-tray://start/81234567890', /\/s\/81234567890\?zak=/],
      [join, /^https:\/\/us06web\.zoom\.us\/j\/81234567890\?pwd=AbC1$/],
    ];
    for (const [link, expected] of opens) {
      const url = await urlOpenedBy(app, async () => assert.equal(await launchAgain(w, [link]), 0, `${link}: the second launch hands over and exits`));
      assert.match(url, expected, link);
    }
    assert.equal(zoomCalls(w.sim), before, 'all from the caches');
  });

  await t.test('any other link is refused with a notification, and nothing opens', async () => {
    const opened = (await app.snapshot()).opened.length;
    const note = await notificationOf(app, async () => assert.equal(await launchAgain(w, ['zoom-tray://settings/delete-everything']), 0));
    assert.match(note.body, /zoom-tray links are zoom-tray:\/\/start\/pmi/);
    assert.equal((await app.snapshot()).opened.length, opened, 'nothing was opened');
  });
});

test("Copy invitation / Copy meeting ID and passcode: Zoom's text on the clipboard in one request each; a missing scope is said", async (t) => {
  const { w, app } = await warmApp(t);

  await t.test("Copy invitation of a meeting: Zoom's invitation, in one request", async () => {
    const submenu = (await app.menu()).find((i) => i.label === 'Copy invitation')?.submenu ?? [];
    const review = submenu.find((i) => /Design review$/.test(i.label))?.label ?? '';
    assert.ok(review, `the meeting is in the submenu: ${JSON.stringify(submenu)}`);
    const before = zoomCalls(w.sim);
    const note = await notificationOf(app, () => app.clickIn('Copy invitation', review));
    assert.deepEqual(note, { title: 'Invitation copied', body: 'Design review: ready to paste.' });
    const invitation = (await app.snapshot()).clipboard;
    assert.match(invitation, /^Jane Doe is inviting you to a scheduled Zoom meeting\.\r\n\r\nTopic: Design review\r\n[^]*\r\nMeeting ID: 812 3456 7890\r\nPasscode: p567890\r\n/);
    assert.equal(zoomCalls(w.sim) - before, 1);
  });

  await t.test('Copy meeting ID and passcode of the personal room: those two lines, in one request', async () => {
    const before = zoomCalls(w.sim);
    const note = await notificationOf(app, () => app.clickIn('Copy meeting ID and passcode', 'Personal meeting room'));
    assert.deepEqual(note, { title: 'Meeting ID and passcode copied', body: 'Your personal meeting room: ready to paste.' });
    assert.equal((await app.snapshot()).clipboard, 'Meeting ID: 555 123 4567\nPasscode: pmi-pass');
    assert.equal(zoomCalls(w.sim) - before, 1);
  });

  await t.test('a missing scope is said; the clipboard is left as it was, and the sign-in stays', async (t) => {
    await app.call({ op: 'set-clipboard', text: 'copied before' });
    w.sim.faults.missingScopes = ['meeting:read:invitation'];
    t.after(() => void (w.sim.faults.missingScopes = []));
    const refused = await notificationOf(app, () => app.clickIn('Copy invitation', 'Personal meeting room'));
    assert.equal(refused.title, 'Zoom refused');
    assert.match(refused.body, /lacks the scope for the meeting's invitation .*meeting:read:invitation.*Add the scope/);
    assert.equal((await app.snapshot()).clipboard, 'copied before');
    assert.ok((await app.labels()).includes('Sign out'), 'still signed in');
  });
});

/** A calendar feed written around the real clock: one Zoom meeting two hours ahead, its link in LOCATION. */
function soonFeed(topic: string, id: number): string {
  const MIN = 60_000;
  const ics = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const start = new Date(Math.ceil(Date.now() / MIN) * MIN + 120 * MIN);
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//zoom-tray tests//soon//EN',
    'BEGIN:VEVENT',
    `UID:soon-${id}@zoom-tray.test`,
    `DTSTAMP:${ics(new Date())}`,
    `DTSTART:${ics(start)}`,
    `DTEND:${ics(new Date(start.getTime() + 30 * MIN))}`,
    `SUMMARY:${topic}`,
    `LOCATION:https://zoom.us/j/${id}?pwd=x`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\n');
}

test('a calendar added from the settings window: its meeting joins from the menu with no request to Zoom, its address is nowhere, and Remove takes it away', async (t) => {
  const w = await signedIn(t);
  const feeds = await startFeedServer(t);
  feeds.serve('work', soonFeed('Calendar Topic', 86123456789));
  const listFile = path.join(w.dataDir, `calendars-${w.keychainService}.json`);
  // Whatever the test left in the keychain goes with it.
  t.after(async () => {
    const text = await readFile(listFile, 'utf8').catch(() => '{"calendars":[]}');
    for (const c of (JSON.parse(text) as { calendars: { id: string }[] }).calendars) await w.keychain.delete(calendarAddressService(w.keychainService), c.id).catch(() => undefined);
  });
  // At debug level the log says the most it ever says about a calendar.
  const app = bootApp(t, { ...w.env, ZOOM_TRAY_LOG: 'debug' });
  await app.untilMenuHas(/Design review$/);
  await openSettings(app);
  const host = new URL(feeds.origin).host;
  const address = feeds.address('work');

  await t.test('an untrusted sender is refused, and nothing is read', async () => {
    await assert.rejects(app.ipc('calendars:add', { address }, false), /untrusted sender/);
    await assert.rejects(app.ipc('calendars:remove', { name: 'Work' }, false), /untrusted sender/);
    assert.equal(feeds.stats('work').requests, 0);
  });

  await t.test('a malformed request is refused without repeating it, and the app goes on', async () => {
    const long = `${address}?${'a'.repeat(10 * 1024)}`;
    for (const [payload, why] of [
      [{ address: 5 }, /takes an address/],
      [{}, /takes an address/],
      [null, /takes an address/],
      [{ address: long }, /takes an address/],
      [{ address, name: 42 }, /takes an optional name/],
    ] as const) {
      await assert.rejects(app.ipc('calendars:add', payload), (err: Error) => {
        assert.match(err.message, why);
        assert.ok(!err.message.includes(feeds.secrets()[0] ?? '?') && !err.message.includes('aaaa'), 'the payload is not repeated');
        return true;
      });
    }
    await assert.rejects(app.ipc('calendars:remove', { name: 7 }), /takes a name/);
    assert.equal(feeds.stats('work').requests, 0);
    assert.equal((await app.ipc<SettingsView>('settings:get', null)).calendars.length, 0);
  });

  await t.test('added: counted, listed by name and host only; the menu gets its meeting', async () => {
    const added = await app.ipc<CalendarAddResult>('calendars:add', { address, name: 'Work' });
    assert.ok(added.ok, JSON.stringify(added));
    assert.equal(added.name, 'Work');
    assert.equal(added.count, 1);
    assert.deepEqual(added.view.calendars, [{ name: 'Work', host }]);
    assert.deepEqual((await app.ipc<SettingsView>('settings:get', null)).calendars, [{ name: 'Work', host }]);
    await app.untilMenuHas(/^Join · .*Calendar Topic$/);
  });

  await t.test('its menu line opens its own link, with no request to Zoom', async () => {
    const label = await app.untilMenuHas(/^Join · .*Calendar Topic$/);
    const before = zoomCalls(w.sim);
    const url = new URL(await urlOpenedBy(app, () => app.click(label)));
    assert.equal(url.origin + url.pathname, 'https://zoom.us/j/86123456789');
    assert.equal(url.searchParams.get('pwd'), 'x');
    assert.equal(zoomCalls(w.sim), before, 'no request: the link was at hand');
  });

  await t.test("the feed's address is in no file of the data folder and in no output", async () => {
    const files = (await readdir(w.dataDir, { withFileTypes: true, recursive: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    assert.ok(files.includes(listFile), 'the list was written');
    assert.ok(files.some((f) => f.endsWith('zoom-tray.log')), 'the log was written');
    for (const file of files) {
      const content = await readFile(file, 'utf8');
      for (const secret of feeds.secrets()) assert.ok(!content.includes(secret), `${path.relative(w.dataDir, file)} holds the address`);
    }
    for (const secret of feeds.secrets()) assert.ok(!app.output.includes(secret), 'the output holds the address');
  });

  await t.test('removed: the view and the menu lose it', async () => {
    assert.equal(await app.ipc('calendars:remove', { name: 'Work' }), null);
    assert.deepEqual((await app.ipc<SettingsView>('settings:get', null)).calendars, []);
    await app.until('the calendar gone from the menu', async () => !(await app.labels()).some((l) => /Calendar Topic$/.test(l)));
    assert.deepEqual((JSON.parse(await readFile(listFile, 'utf8')) as { calendars: unknown[] }).calendars, []);
  });
});
