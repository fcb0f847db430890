import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { SaveResult, SettingsView } from '../../main/ipc/channels';
import { keytarStore } from '../../main/session/secret-store';
import { DEFAULT_SHORTCUT } from '../../main/settings/schema';
import { isAllowedZoomUrl } from '../../main/zoom/start-url';
import { AppDriver } from '../harness/app-driver';
import { answerConsent, launchChromium } from '../harness/browser';
import { leakedSecrets, type World, world } from '../harness/fixtures';

let w: World;
let browser: Browser;
let app: AppDriver;

function apiCalls(): number {
  return Object.values(w.sim.stats.apiCalls).reduce((a, b) => a + b, 0) + w.sim.stats.refreshes;
}

async function lastOpened(count: number): Promise<string> {
  const snap = await app.until(`${count} opened URLs`, async () => {
    const s = await app.snapshot();
    return s.opened.length >= count ? s : undefined;
  });
  return snap.opened[count - 1] ?? '';
}

before(async () => {
  w = await world();
  browser = await launchChromium();
  app = AppDriver.boot(w.env);
});
after(async () => {
  await app?.quit();
  await browser?.close();
  await keytarStore(w.keychainService).delete(w.sim.user.email);
  await w.close();
});

test('signed out: the menu offers sign-in, the icon says so, the shortcut is registered', async () => {
  await app.untilMenuHas('Sign in to Zoom…');
  assert.deepEqual(await app.labels(), ['Sign in to Zoom…', '---', 'Settings…', '---', 'Quit zoom-tray']);
  const snap = await app.snapshot();
  assert.match(snap.tray.image, /signed-out\.png$/);
  assert.deepEqual(snap.shortcuts, [DEFAULT_SHORTCUT]);
});

test('sign-in in the browser: consent clicked in Chromium, then the menu lists who and what is upcoming', async () => {
  await app.click('Sign in to Zoom…');
  await app.untilMenuHas('Waiting for browser sign-in…');
  assert.match((await app.snapshot()).tray.image, /busy\.png$/);
  const authorizeUrl = await lastOpened(1);
  assert.match(authorizeUrl, /\/oauth\/authorize\?.*code_challenge_method=S256/);
  assert.match(await answerConsent(browser, authorizeUrl, 'Allow'), /You can close this tab/);
  await app.untilMenuHas('Jane Doe (jane.doe@example.com)');
  await app.untilMenuHas(/^(Tomorrow )?\d\d:\d\d( [AP]M)? {2}Design review$/);
  const menu = await app.menu();
  const pmi = menu.find((i) => i.label === 'Start my personal meeting room');
  assert.equal(pmi?.accelerator, DEFAULT_SHORTCUT, 'the default meeting shows the shortcut');
  assert.ok(menu.some((i) => i.label === 'Upcoming' && !i.enabled));
  await app.until('ready icon', async () => /ready\.png$/.test((await app.snapshot()).tray.image));
});

test('a click starts the personal room with no network wait: user and ZAK were prefetched', async () => {
  await app.until('prefetched ZAK', async () => (w.sim.stats.apiCalls['GET /v2/users/me/token'] ?? 0) >= 1);
  const before = apiCalls();
  await app.click('Start my personal meeting room');
  const url = await lastOpened(2);
  assert.equal(apiCalls(), before, 'no Zoom call on the click path');
  assert.match(url, new RegExp(`^${w.sim.origin}/s/5551234567\\?zak=`));
  assert.equal((await fetch(url)).status, 200, 'the ZAK really starts the meeting');
});

test('the global shortcut starts the default meeting, also without a network call', async () => {
  const before = apiCalls();
  assert.equal(await app.shortcut(DEFAULT_SHORTCUT), true);
  const url = await lastOpened(3);
  assert.equal(apiCalls(), before);
  assert.match(url, /\/s\/5551234567\?zak=/);
});

test('an upcoming meeting starts from the menu', async () => {
  const label = await app.untilMenuHas(/Design review$/);
  await app.click(label);
  assert.match(await lastOpened(4), /\/s\/81234567890\?zak=/);
});

test('settings: the window is locked down, IPC is typed and sender-checked, saving re-registers the shortcut', async () => {
  await app.click('Settings…');
  const snap = await app.until('settings window', async () => (await app.snapshot()).window?.visible && (await app.snapshot()).window);
  assert.match(snap.page, /dist\/renderer\/index\.html$/);
  assert.equal(snap.webPreferences.contextIsolation, true);
  assert.equal(snap.webPreferences.sandbox, true);
  assert.equal(snap.webPreferences.nodeIntegration, false);
  assert.match(String(snap.webPreferences.preload), /dist\/preload\.js$/);
  assert.equal(snap.deniesNewWindows, true);
  assert.equal(snap.deniesPermissions, true);

  const view = await app.ipc<SettingsView>('settings:get', null);
  assert.equal(view.auth.status, 'signed-in');
  assert.equal(view.auth.account, 'jane.doe@example.com');
  assert.deepEqual([...view.lockedByEnv].sort(), ['clientId', 'redirectUri']);
  await assert.rejects(app.ipc('settings:get', null, false), /untrusted sender/);
  await assert.rejects(app.ipc('auth:sign-out', { sneaky: true }), /takes no payload/);

  const bad = await app.ipc<SaveResult>('settings:save', { ...view.settings, shortcut: 'Q' });
  assert.equal(bad.ok, false);
  assert.deepEqual((await app.snapshot()).shortcuts, [DEFAULT_SHORTCUT], 'an invalid save changes nothing');

  const saved = await app.ipc<SaveResult>('settings:save', { ...view.settings, defaultMeeting: 'next', shortcut: 'Control+Alt+N' });
  assert.equal(saved.ok, true);
  assert.deepEqual((await app.snapshot()).shortcuts, ['Control+Alt+N']);
  const first = (await app.menu()).find((i) => /Design review$/.test(i.label));
  assert.equal(first?.accelerator, 'Control+Alt+N', 'the shortcut now shows on the next meeting');
  const opened = (await app.snapshot()).opened.length;
  assert.equal(await app.shortcut('Control+Alt+N'), true);
  assert.match(await lastOpened(opened + 1), /\/s\/81234567890\?zak=/);
  assert.ok(((await app.snapshot()).window?.pushes ?? 0) > 0, 'the window hears about changes');
});

test('a failure on the click path becomes a notification that says what to do', async () => {
  w.sim.faults.rateLimit = { count: 1, retryAfter: 30 };
  await app.click('New instant meeting');
  const snap = await app.until('a notification', async () => {
    const s = await app.snapshot();
    return s.notifications.length > 0 ? s : undefined;
  });
  assert.deepEqual(snap.notifications.at(-1), { title: 'Zoom is busy', body: "Zoom's rate limit was reached. Try again in 30 seconds." });
});

test('resume from sleep refreshes user, meetings and ZAK', async () => {
  const before = { ...w.sim.stats.apiCalls };
  await app.call({ op: 'resume' });
  await app.until('refresh calls', async () =>
    ['GET /v2/users/me', 'GET /v2/users/me/meetings', 'GET /v2/users/me/token'].every((r) => (w.sim.stats.apiCalls[r] ?? 0) > (before[r] ?? 0)),
  );
});

test('a second launch defers to the first, which opens its settings window', async () => {
  await app.call({ op: 'close-window' });
  assert.equal((await app.snapshot()).window, undefined);
  const second = AppDriver.boot(w.env);
  assert.equal(await second.exited, 0);
  await app.until('second-instance event', async () => (await app.snapshot()).secondInstances === 1);
  await app.until('settings window shown again', async () => (await app.snapshot()).window?.visible);
});

test('sign out revokes at Zoom, empties the keychain and the menu', async () => {
  await app.click('Sign out');
  await app.untilMenuHas('Sign in to Zoom…');
  assert.deepEqual(await keytarStore(w.keychainService).list(), []);
  assert.equal(w.sim.stats.revocations, 1);
});

test('the app printed no secret and opened only allow-listed Zoom URLs', async () => {
  assert.deepEqual(leakedSecrets(w.sim, app.output), []);
  for (const url of (await app.snapshot()).opened) assert.ok(isAllowedZoomUrl(new URL(url), [w.sim.origin]), url);
});

test('a shortcut taken by another app is reported in the menu and the settings window', async () => {
  const other = await world();
  const taken = AppDriver.boot({ ...other.env, ZOOM_TRAY_TEST_TAKEN_SHORTCUTS: DEFAULT_SHORTCUT });
  try {
    const label = await taken.untilMenuHas(/^⚠ Shortcut .* is taken — change it…$/);
    assert.equal(label, `⚠ Shortcut ${DEFAULT_SHORTCUT} is taken — change it…`);
    assert.match((await taken.snapshot()).tray.image, /error\.png$/);
    await taken.click(label);
    await taken.until('settings window', async () => (await taken.snapshot()).window?.visible);
    const view = await taken.ipc<SettingsView>('settings:get', null);
    assert.match(view.shortcutProblem ?? '', /taken by another app/);

    // Cancelling a sign-in goes back quietly and frees the loopback port.
    await taken.click('Sign in to Zoom…');
    await taken.click('Cancel sign-in');
    await taken.untilMenuHas('Sign in to Zoom…');
    assert.deepEqual((await taken.snapshot()).notifications, []);
    await taken.click('Sign in to Zoom…');
    await taken.untilMenuHas('Waiting for browser sign-in…');
    await taken.click('Cancel sign-in');
  } finally {
    await taken.quit();
    await other.close();
  }
});

test('first run without a client ID asks for setup and opens the settings window', async () => {
  const other = await world();
  const fresh = AppDriver.boot({ ...other.env, ZOOM_CLIENT_ID: '', XDG_CONFIG_HOME: other.dataDir });
  try {
    await fresh.untilMenuHas('Set up zoom-tray…');
    await fresh.until('settings window', async () => (await fresh.snapshot()).window?.visible);
    const saved = await fresh.ipc<SaveResult>('settings:save', {
      clientId: other.sim.clients[0]?.clientId,
      redirectUri: other.redirectUri,
      defaultMeeting: 'pmi',
      shortcut: DEFAULT_SHORTCUT,
      launchAtLogin: true,
    });
    assert.equal(saved.ok, true);
    await fresh.untilMenuHas('Sign in to Zoom…');
    const entry = await readFile(path.join(other.dataDir, 'autostart', 'zoom-tray.desktop'), 'utf8');
    assert.match(entry, new RegExp(`Exec=${process.execPath.replace(/[.]/g, '\\.')} `), 'launch at login starts this app');
    const stored = JSON.parse(await readFile(path.join(other.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(stored.clientId, other.sim.clients[0]?.clientId);
    assert.equal(stored.launchAtLogin, true);
  } finally {
    await fresh.quit();
    await other.close();
  }
});

test('a configuration problem other than a missing client ID is said in the menu', async () => {
  const other = await world();
  const broken = AppDriver.boot({ ...other.env, ZOOM_API_URL: 'http://api.example.com/v2' });
  try {
    await broken.untilMenuHas(/^⚠ ZOOM_API_URL must be an https URL/);
    assert.ok((await broken.labels()).includes('Set up zoom-tray…'));
  } finally {
    await broken.quit();
    await other.close();
  }
});

test('while Zoom is unreachable the menu says so; the next successful refresh clears it', async () => {
  const other = await world();
  const { keychainService } = other;
  const tray = AppDriver.boot(other.env);
  try {
    await tray.untilMenuHas('Sign in to Zoom…');
    await tray.click('Sign in to Zoom…');
    const authorizeUrl = await tray.until('authorize URL', async () => (await tray.snapshot()).opened[0]);
    await answerConsent(browser, authorizeUrl, 'Allow');
    await tray.untilMenuHas(/Design review$/);
    other.sim.faults.rateLimit = { count: 10, retryAfter: 60 };
    await tray.call({ op: 'resume' });
    await tray.untilMenuHas('⚠ Zoom is busy');
    assert.match((await tray.snapshot()).tray.image, /error\.png$/);
    other.sim.faults.rateLimit = { count: 0 };
    await tray.call({ op: 'resume' });
    await tray.until('problem cleared', async () => !(await tray.labels()).some((l) => l.startsWith('⚠')));
    assert.match((await tray.snapshot()).tray.image, /ready\.png$/);
  } finally {
    await tray.quit();
    await keytarStore(keychainService).delete(other.sim.user.email);
    await other.close();
  }
});
