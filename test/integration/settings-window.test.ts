import assert from 'node:assert/strict';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { SettingsView } from '../../main/ipc/channels';
import type { SettingsInput } from '../../main/settings/schema';
import { launchChromium } from '../harness/browser';

const PAGE = pathToFileURL(path.resolve(__dirname, '../../dist/renderer/index.html')).href;
let browser: Browser;

const baseView: SettingsView = {
  settings: { clientId: 'AbC123xyz', redirectUri: 'http://localhost:47615/oauth/callback', defaultMeeting: 'pmi', shortcut: 'CommandOrControl+Alt+Shift+Z', launchAtLogin: false },
  hasClientSecret: false,
  lockedByEnv: [],
  auth: { status: 'signed-in', account: 'jane.doe@example.com' },
  startCommand: '/opt/zoom-tray/zoom-tray --start pmi',
  platform: 'linux',
};

/**
 * The settings page with a stub bridge in place of the preload; saves are recorded on
 * window.__saves. `save` replaces the stub's answer to a save (script text run in the page).
 */
async function open(view: SettingsView = baseView, options: { colorScheme?: 'light' | 'dark'; save?: string } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 520, height: 760 }, colorScheme: options.colorScheme ?? 'light' });
  // Plain script text: functions compiled by tsx carry helpers the page does not have.
  await page.addInitScript(`
    const initial = ${JSON.stringify(view)};
    window.__saves = [];
    window.zoomTray = {
      getSettings: async () => initial,
      saveSettings: async (input) => {
        window.__saves.push(input);
        ${options.save ?? ''}
        const { clientSecret, ...settings } = input;
        return { ok: true, view: { ...initial, settings, hasClientSecret: initial.hasClientSecret || typeof clientSecret === 'string' } };
      },
      signIn: async () => null,
      signOut: async () => null,
      onChange: (listener) => { window.__push = listener; return () => undefined; },
    };
  `);
  await page.goto(PAGE);
  await page.getByText(/Signed in as|Not signed in|Enter your Zoom/).waitFor();
  return page;
}

const saves = (page: Page): Promise<SettingsInput[]> => page.evaluate(() => (window as unknown as { __saves: SettingsInput[] }).__saves);

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test('shows the settings, the account and the shortcut, every field labelled', async () => {
  const page = await open();
  assert.equal(await page.getByLabel('Client ID').inputValue(), 'AbC123xyz');
  assert.equal(await page.getByLabel('Redirect URI').inputValue(), baseView.settings.redirectUri);
  assert.equal(await page.getByLabel('The shortcut starts').inputValue(), 'pmi');
  assert.equal(await page.getByLabel('Start zoom-tray when I log in').isChecked(), false);
  assert.equal(await page.getByRole('button', { name: /Global shortcut/ }).textContent(), 'Ctrl+Alt+Shift+Z');
  assert.equal(await page.locator('#auth-status').textContent(), 'Signed in as jane.doe@example.com.');
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).isVisible(), true);
  await page.close();
});

test('invalid fields are flagged beside the field, focus moves to the first, nothing is saved', async () => {
  const page = await open();
  await page.getByLabel('Client ID').fill('not valid!');
  await page.getByLabel('Redirect URI').fill('https://example.com/cb');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match((await page.locator('#clientId-error').textContent()) ?? '', /letters, digits/);
  assert.match((await page.locator('#redirectUri-error').textContent()) ?? '', /loopback URL with an explicit port/);
  assert.equal(await page.getByLabel('Client ID').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'clientId');
  assert.deepEqual(await saves(page), []);
  await page.close();
});

test('the shortcut recorder captures a combination, rejects a bare key, and Esc cancels', async () => {
  const page = await open();
  const recorder = page.getByRole('button', { name: /Global shortcut/ });
  await recorder.click();
  assert.equal(await recorder.textContent(), 'Press keys…');
  assert.equal(await recorder.getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('k');
  assert.match((await page.locator('#shortcut-error').textContent()) ?? '', /Add CommandOrControl, Alt or Super/);
  await page.keyboard.press('Control+Alt+k');
  assert.equal(await recorder.textContent(), 'Ctrl+Alt+K');
  assert.equal(await page.locator('#shortcut-error').isHidden(), true);
  await recorder.click();
  await page.keyboard.press('Escape');
  assert.equal(await recorder.textContent(), 'Ctrl+Alt+K', 'Esc keeps the previous shortcut');
  await page.getByLabel('The shortcut starts').selectOption('next');
  await page.getByLabel('Start zoom-tray when I log in').check();
  await page.getByLabel(/Client secret/).fill('  s3cret  ');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  assert.deepEqual(await saves(page), [
    { ...baseView.settings, shortcut: 'CommandOrControl+Alt+K', defaultMeeting: 'next', launchAtLogin: true, clientSecret: 's3cret' },
  ]);
  assert.equal(await page.getByLabel(/Client secret/).inputValue(), '', 'the secret leaves the form once saved');
  assert.match((await page.getByLabel(/Client secret/).getAttribute('placeholder')) ?? '', /stored in the keychain/);
  await page.close();
});

test('fields fixed by environment variables are read-only and say why; problems pushed by main are shown', async () => {
  const page = await open({ ...baseView, lockedByEnv: ['clientId'], auth: { status: 'signed-out' } });
  assert.equal(await page.getByLabel('Client ID').isDisabled(), true);
  assert.equal(await page.locator('#clientId-help').textContent(), 'Set by the ZOOM_CLIENT_ID environment variable.');
  await page.evaluate((view: SettingsView) => (window as unknown as { __push: (v: SettingsView) => void }).__push(view), {
    ...baseView,
    shortcutProblem: 'CommandOrControl+Alt+Shift+Z is taken by another app or the system. Choose another shortcut in Settings.',
    warning: 'Your settings file could not be read; the original was kept as settings.json.bad-1.',
  });
  assert.match((await page.locator('#shortcut-error').textContent()) ?? '', /taken by another app/);
  assert.match((await page.getByRole('alert').textContent()) ?? '', /settings file could not be read/);
  await page.close();
});

test('a save the main process rejects or cannot write says so instead of "Saving…" forever', async () => {
  const rejected = await open(baseView, { save: "throw new Error('zoom-tray refused settings:save from an untrusted sender.');" });
  await rejected.getByRole('button', { name: 'Save' }).click();
  await rejected.getByText(/^Could not save: .*untrusted sender/).waitFor({ timeout: 5000 });
  await rejected.close();
  const failed = await open(baseView, { save: "return { ok: false, errors: {}, message: 'Your settings could not be saved to /x/settings.json (EACCES).' };" });
  await failed.getByRole('button', { name: 'Save' }).click();
  await failed.getByText('Your settings could not be saved to /x/settings.json (EACCES).').waitFor({ timeout: 5000 });
  await failed.close();
});

test('the command for a desktop shortcut is shown, and on Wayland what the desktop will ask', async () => {
  const page = await open({ ...baseView, shortcutNote: 'On Wayland your desktop asks once whether zoom-tray may use this shortcut.' });
  assert.equal(await page.locator('#start-command').textContent(), '/opt/zoom-tray/zoom-tray --start pmi');
  assert.equal(await page.locator('#shortcut-note').isVisible(), true);
  assert.match((await page.locator('#shortcut-note').textContent()) ?? '', /desktop asks once/);
  await page.close();
  const plain = await open();
  assert.equal(await plain.locator('#shortcut-note').isVisible(), false);
  await plain.close();
});

test('the keyboard reaches every control in reading order', async () => {
  const page = await open({ ...baseView, auth: { status: 'signed-out' } });
  const order: string[] = [];
  for (let i = 0; i < 9; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement?.id ?? ''));
  }
  assert.deepEqual(order, ['sign-in', 'clientId', 'clientSecret', 'redirectUri', 'defaultMeeting', 'shortcut', 'shortcut-clear', 'launchAtLogin', 'save']);
  await page.close();
});

test('the CSP blocks inline script, and the page follows the dark theme', async () => {
  const page = await open(baseView, { colorScheme: 'dark' });
  const inline = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.append(script);
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false;
  });
  assert.equal(inline, false);
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(31, 31, 31)');
  await page.close();
});

test('screenshot for the README', async () => {
  const page = await open();
  await mkdir('test-results', { recursive: true });
  const shot = path.resolve('test-results/settings-window.png');
  await page.screenshot({ path: shot, fullPage: true });
  await page.close();
  // Refresh the committed copy deliberately: ZOOM_TRAY_UPDATE_DOCS=1 npm test
  if (process.env.ZOOM_TRAY_UPDATE_DOCS) await copyFile(shot, path.resolve('docs/settings-window.png'));
});
