import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { AccountRef, Cloud } from '../../main/shared/clouds';
import type { CalendarView, SettingsView } from '../../main/shared/ipc-channels';
import type { SettingsInput } from '../../main/shared/settings-schema';
import { launchChromium } from '../harness/browser';
import { baseView, openSettingsPage, twoAccounts } from '../harness/settings-page';

let browser: Browser;

const GOV_ACCOUNT: AccountRef = { email: 'j.doe@agency.gov', cloud: 'gov' };

const GONE = 'The address of calendar "Family" (p42-caldav.icloud.com) no longer works (HTTP 404): it was reset or unpublished. Add it again with its new address.';
const TWO_CALENDARS: CalendarView[] = [
  { name: 'Work', host: 'calendar.google.com' },
  { name: 'Family', host: 'p42-caldav.icloud.com', problem: GONE },
];
/** A Google secret address: its token is what must never show. */
const TOKEN = 'private-5f2b9c0d4e7a1b3c8d6e9f0a1b2c3d4e';
const ADDRESS = `https://calendar.google.com/calendar/ical/jane.doe%40example.com/${TOKEN}/basic.ics`;

const open = (view: SettingsView = baseView, options: Parameters<typeof openSettingsPage>[2] = {}): Promise<Page> => openSettingsPage(browser, view, options);

const saves = (page: Page): Promise<SettingsInput[]> => page.evaluate(() => (window as unknown as { __saves: SettingsInput[] }).__saves);
type Call = ['signIn', Cloud?] | ['signOut', AccountRef?] | ['makeDefault', AccountRef] | ['addCalendar', string, string?] | ['removeCalendar', string];
const calls = (page: Page): Promise<Call[]> => page.evaluate(() => (window as unknown as { __calls: Call[] }).__calls);
const push = (page: Page, view: SettingsView): Promise<void> =>
  page.evaluate((v: SettingsView) => (window as unknown as { __push: (v: SettingsView) => void }).__push(v), view);
/** Each row of the account list, in order: its e-mail, cloud tag, default marker and buttons. */
const rows = (page: Page): Promise<string[]> =>
  page
    .locator('#accounts > li')
    .evaluateAll((items) =>
      items.map((li) =>
        [...li.querySelectorAll('.email, .tag, .marker, button')].map((el) => (el.tagName === 'BUTTON' ? `[${el.textContent}]` : el.textContent)).join(' '),
      ),
    );

/** Each row of the calendar list, in order: its name, host, problem line and button. */
const calendarRows = (page: Page): Promise<string[]> =>
  page
    .locator('#calendars > li')
    .evaluateAll((items) =>
      items.map((li) =>
        [...li.querySelectorAll('.calendar-name, .host, .problem, button')].map((el) => (el.tagName === 'BUTTON' ? `[${el.textContent}]` : el.textContent)).join(' | '),
      ),
    );
/** Everything the page holds that a user or a script could read: its markup, its text and every field's value. */
const pageText = (page: Page): Promise<string> =>
  page.evaluate(() => [document.documentElement.outerHTML, document.body.innerText, ...[...document.querySelectorAll('input')].map((i) => i.value)].join('\n'));
const focusedId = (page: Page): Promise<string | undefined> => page.evaluate(() => document.activeElement?.id);
/** A stub answer to an add that waits for window.__answer() (so a test sees the page while the calendar is read). */
const HELD = 'await new Promise((resolve) => { window.__answer = resolve; });';

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

test('shows the settings, the account and the shortcut, every field labelled', async () => {
  const page = await open();
  assert.equal(await page.getByLabel('Client ID', { exact: true }).inputValue(), 'AbC123xyz');
  assert.equal(await page.getByLabel('Redirect URI', { exact: true }).inputValue(), baseView.settings.redirectUri);
  assert.equal(await page.getByLabel('The shortcut starts').inputValue(), 'pmi');
  assert.equal(await page.getByLabel('Start zoom-tray when I log in').isChecked(), false);
  assert.equal(await page.getByRole('button', { name: /^Global shortcut/ }).textContent(), 'Ctrl+Alt+Shift+Z');
  assert.equal(await page.locator('#auth-status').textContent(), 'Signed in as jane.doe@example.com.');
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).isVisible(), true);
  await page.close();
});

test('invalid fields are flagged beside the field, focus moves to the first, nothing is saved', async () => {
  const page = await open();
  await page.getByLabel('Client ID', { exact: true }).fill('not valid!');
  await page.getByLabel('Redirect URI', { exact: true }).fill('https://example.com/cb');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match((await page.locator('#clientId-error').textContent()) ?? '', /letters, digits/);
  assert.match((await page.locator('#redirectUri-error').textContent()) ?? '', /loopback URL with an explicit port/);
  assert.equal(await page.getByLabel('Client ID', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'clientId');
  assert.deepEqual(await saves(page), []);
  await page.close();
});

test('the shortcut recorder captures a combination, rejects a bare key, and Esc cancels', async () => {
  const page = await open();
  const recorder = page.getByRole('button', { name: /^Global shortcut/ });
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
  await page.getByLabel(/^Client secret/).fill('  s3cret  ');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  assert.deepEqual(await saves(page), [
    { ...baseView.settings, shortcut: 'CommandOrControl+Alt+K', defaultMeeting: 'next', launchAtLogin: true, clientSecret: 's3cret' },
  ]);
  assert.equal(await page.getByLabel(/^Client secret/).inputValue(), '', 'the secret leaves the form once saved');
  assert.match((await page.getByLabel(/^Client secret/).getAttribute('placeholder')) ?? '', /stored in the keychain/);
  await page.close();
});

test('the join-from-clipboard shortcut is recorded on its own button, is refused when it is the other one, and is cleared', async () => {
  const page = await open({ ...baseView, settings: { ...baseView.settings, joinShortcut: 'CommandOrControl+Alt+J' } });
  const join = page.getByRole('button', { name: /^Join-from-clipboard shortcut/ });
  assert.equal(await join.textContent(), 'Ctrl+Alt+J');
  await join.click();
  await page.keyboard.press('Control+Alt+Shift+Z');
  assert.equal(await join.textContent(), 'Ctrl+Alt+Shift+Z');
  assert.equal(await page.getByRole('button', { name: /^Global shortcut/ }).textContent(), 'Ctrl+Alt+Shift+Z', 'the other recorder is untouched');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match((await page.locator('#joinShortcut-error').textContent()) ?? '', /already starts your default meeting/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'joinShortcut');
  assert.deepEqual(await saves(page), []);
  await join.click();
  await page.keyboard.press('Control+Alt+v');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  await page.getByRole('button', { name: 'No shortcut Join-from-clipboard shortcut' }).click();
  assert.equal(await join.textContent(), 'None');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForFunction(() => (window as unknown as { __saves: unknown[] }).__saves.length === 2);
  assert.deepEqual((await saves(page)).map((s) => s.joinShortcut), ['CommandOrControl+Alt+V', '']);
  await page.evaluate((view: SettingsView) => (window as unknown as { __push: (v: SettingsView) => void }).__push(view), {
    ...baseView,
    joinShortcutProblem: 'CommandOrControl+Alt+V is taken by another app or the system. Choose another shortcut in Settings.',
  });
  assert.match((await page.locator('#joinShortcut-error').textContent()) ?? '', /taken by another app/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'save', 'a problem pushed by the main process does not take the focus');
  await page.close();
});

test('fields fixed by environment variables are read-only and say why; problems pushed by main are shown', async () => {
  const page = await open({ ...baseView, lockedByEnv: ['clientId'], auth: { status: 'signed-out' } });
  assert.equal(await page.getByLabel('Client ID', { exact: true }).isDisabled(), true);
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
  const page = await open({ ...baseView, accounts: [], auth: { status: 'signed-out' } });
  const order: string[] = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement?.id ?? ''));
  }
  assert.deepEqual(order, [
    'sign-in',
    'calendarAddress',
    'calendarName',
    'add-calendar',
    'clientId',
    'clientSecret',
    'redirectUri',
    'govClientId',
    'govClientSecret',
    'govRedirectUri',
    'defaultMeeting',
    'shortcut',
    'shortcut-clear',
    'joinShortcut',
    'joinShortcut-clear',
    'reminderMinutes',
    'autoStart',
    'autoJoin',
    'launchAtLogin',
    'save',
  ]);
  await page.close();
  // With accounts and calendars: each account row's buttons, the buttons that add accounts, each
  // calendar's Remove, then the form that adds a calendar.
  const accounts = await open({ ...twoAccounts, calendars: TWO_CALENDARS });
  const start: string[] = [];
  for (let i = 0; i < 11; i++) {
    await accounts.keyboard.press('Tab');
    start.push(await accounts.evaluate(() => document.activeElement?.id ?? ''));
  }
  assert.deepEqual(start, [
    'sign-out',
    'make-default-1',
    'sign-out-1',
    'sign-in',
    'sign-in-gov',
    'remove-calendar-0',
    'remove-calendar-1',
    'calendarAddress',
    'calendarName',
    'add-calendar',
    'clientId',
  ]);
  await accounts.close();
});

test('every signed-in account is listed, ZoomGov ones tagged and the default marked', async () => {
  const page = await open(twoAccounts);
  assert.equal(await page.getByRole('heading', { name: 'Zoom accounts' }).isVisible(), true);
  const list = page.getByRole('list');
  assert.equal(await list.getByRole('listitem').count(), 2);
  const [first, second] = [list.getByRole('listitem').nth(0), list.getByRole('listitem').nth(1)];
  assert.equal(await first.locator('.email').textContent(), 'jane.doe@example.com');
  assert.equal(await first.locator('.tag').count(), 0, 'a commercial account has no cloud tag');
  assert.equal(await first.locator('.marker').textContent(), 'default');
  assert.equal(await first.getByRole('button', { name: /^Make default/ }).count(), 0, 'the default cannot be made default again');
  assert.equal(await second.locator('.email').textContent(), 'j.doe@agency.gov');
  assert.equal(await second.locator('.tag').textContent(), 'ZoomGov');
  assert.equal(await second.locator('.marker').count(), 0);
  assert.equal(await second.getByRole('button', { name: /^Make default/ }).isVisible(), true);
  // Each button names its account, so a screen reader tells the rows apart.
  assert.equal(await page.getByRole('button', { name: 'Sign out jane.doe@example.com', exact: true }).isVisible(), true);
  assert.equal(await page.getByRole('button', { name: 'Sign out j.doe@agency.gov ZoomGov', exact: true }).isVisible(), true);
  assert.equal(await page.getByRole('button', { name: 'Make default j.doe@agency.gov ZoomGov', exact: true }).isVisible(), true);
  assert.equal(await page.locator('#auth-status').textContent(), 'Signed in as jane.doe@example.com.');
  await page.close();
});

test('"Make default" and "Sign out" act on the account of their row', async () => {
  const page = await open(twoAccounts);
  const gov = page.getByRole('listitem').filter({ hasText: 'j.doe@agency.gov' });
  await gov.getByRole('button', { name: /^Make default/ }).click();
  await gov.getByRole('button', { name: /^Sign out/ }).click();
  await page.getByRole('listitem').filter({ hasText: 'jane.doe@example.com' }).getByRole('button', { name: /^Sign out/ }).click();
  assert.deepEqual(await calls(page), [
    ['makeDefault', GOV_ACCOUNT],
    ['signOut', GOV_ACCOUNT],
    ['signOut', { email: 'jane.doe@example.com', cloud: 'commercial' }],
  ]);
  await page.close();
});

test('"Add ZoomGov account…" is offered only once the ZoomGov app is set up', async (t) => {
  await t.test('without the ZoomGov app: only "Add Zoom account…", which signs in to Zoom', async () => {
    const page = await open();
    assert.equal(await page.getByRole('button', { name: 'Add ZoomGov account…' }).isVisible(), false);
    await page.getByRole('button', { name: 'Add Zoom account…' }).click();
    assert.deepEqual(await calls(page), [['signIn', 'commercial']]);
    await page.close();
  });
  await t.test('with it: "Add ZoomGov account…" signs in to ZoomGov', async () => {
    const gov = await open(twoAccounts);
    await gov.getByRole('button', { name: 'Add ZoomGov account…' }).click();
    assert.deepEqual(await calls(gov), [['signIn', 'gov']]);
    await gov.close();
  });
  await t.test('no account yet: signing in looks as it always did, and ZoomGov can be the first account', async () => {
    const none = await open({ ...twoAccounts, accounts: [], auth: { status: 'signed-out' } });
    assert.equal(await none.getByRole('list').isVisible(), false);
    assert.equal(await none.locator('#auth-status').textContent(), 'Not signed in.');
    assert.equal(await none.getByRole('button', { name: 'Sign in to Zoom…' }).isEnabled(), true);
    assert.equal(await none.getByRole('button', { name: 'Add ZoomGov account…' }).isEnabled(), true);
    await none.close();
  });
});

test('a view pushed by the main process re-renders the accounts', async () => {
  const page = await open(twoAccounts);
  // Make the ZoomGov account the default; main answers with a new view, focus stays on that account.
  await page.getByRole('button', { name: /^Make default j\.doe@agency\.gov/ }).click();
  await push(page, {
    ...twoAccounts,
    accounts: [
      { email: 'j.doe@agency.gov', cloud: 'gov', default: true },
      { email: 'jane.doe@example.com', cloud: 'commercial', default: false },
    ],
    auth: { status: 'signed-in', account: 'j.doe@agency.gov' },
  });
  assert.deepEqual(await rows(page), ['j.doe@agency.gov ZoomGov default [Sign out]', 'jane.doe@example.com [Make default] [Sign out]']);
  assert.equal(await page.locator('#auth-status').textContent(), 'Signed in as j.doe@agency.gov.');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-labelledby')), 'sign-out account-0');
  // The ZoomGov app removed: its account stays listed, but no more can be added.
  await push(page, { ...twoAccounts, accounts: [twoAccounts.accounts[1]!], clouds: ['commercial'] });
  assert.deepEqual(await rows(page), ['j.doe@agency.gov ZoomGov [Make default] [Sign out]']);
  assert.equal(await page.getByRole('button', { name: 'Add ZoomGov account…' }).isVisible(), false);
  // Every account signed out: back to the single sign-in button.
  await push(page, { ...twoAccounts, accounts: [], auth: { status: 'signed-out' } });
  assert.equal(await page.locator('#accounts > li').count(), 0);
  assert.equal(await page.getByRole('list').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Sign in to Zoom…' }).isVisible(), true);
  assert.equal(await page.getByRole('button', { name: /^Sign out/ }).count(), 0);
  await page.close();
});

test('the ZoomGov app is saved like the Zoom app: typed secret sent, untouched absent, forgotten null', async () => {
  const page = await open(twoAccounts);
  assert.equal(await page.getByLabel('ZoomGov client ID').inputValue(), 'GovApp_42');
  assert.equal(await page.getByLabel('ZoomGov redirect URI').inputValue(), twoAccounts.settings.govRedirectUri);
  assert.match((await page.locator('#govClientId-help').textContent()) ?? '', /ZoomGov Marketplace \(marketplace\.zoomgov\.com\)/);
  assert.equal(await page.getByRole('button', { name: 'Forget the stored ZoomGov secret' }).isVisible(), false, 'nothing stored yet');
  const saved = async (n: number): Promise<SettingsInput> => {
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction((count) => (window as unknown as { __saves: unknown[] }).__saves.length === count, n);
    await page.getByText('Saved.').waitFor();
    return (await saves(page))[n - 1]!;
  };
  await page.getByLabel('ZoomGov client ID').fill('GovApp_43');
  await page.getByLabel('ZoomGov redirect URI').fill('http://localhost:47616/oauth/callback');
  await page.getByLabel(/^ZoomGov client secret/).fill('  g0v-s3cret  ');
  const settings = { ...twoAccounts.settings, govClientId: 'GovApp_43', govRedirectUri: 'http://localhost:47616/oauth/callback' };
  assert.deepEqual(await saved(1), { ...settings, govClientSecret: 'g0v-s3cret' });
  assert.equal(await page.getByLabel(/^ZoomGov client secret/).inputValue(), '', 'the secret leaves the form once saved');
  assert.match((await page.getByLabel(/^ZoomGov client secret/).getAttribute('placeholder')) ?? '', /stored in the keychain/);
  assert.equal(await page.getByLabel(/^Client secret/).getAttribute('placeholder'), '', 'the Zoom app has no secret stored');
  assert.deepEqual(await saved(2), settings, 'an untouched secret is not sent');
  await page.getByRole('button', { name: 'Forget the stored ZoomGov secret' }).click();
  assert.equal(await page.getByRole('status').textContent(), 'The stored ZoomGov secret will be forgotten when you save.');
  assert.deepEqual(await saved(3), { ...settings, govClientSecret: null });
  assert.equal(await page.getByRole('button', { name: 'Forget the stored ZoomGov secret' }).isVisible(), false);
  await page.close();
});

test('errors about the ZoomGov fields are shown under them', async (t) => {
  await t.test('from the main process: beside the field, which takes the focus', async () => {
    const message = 'This ZoomGov client ID is not known to marketplace.zoomgov.com.';
    const page = await open(twoAccounts, { save: `return { ok: false, errors: { govClientId: ${JSON.stringify(message)} } };` });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(message).waitFor({ timeout: 5000 });
    const field = page.getByLabel('ZoomGov client ID');
    assert.equal(await page.locator('#govClientId-error').textContent(), message);
    assert.equal(await page.locator('#govClientId-error').isVisible(), true);
    assert.match((await field.getAttribute('aria-describedby')) ?? '', /\bgovClientId-error\b/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'govClientId');
    assert.equal(await page.locator('#clientId-error').isVisible(), false);
    await page.close();
  });
  await t.test('checked in the page before sending: nothing is saved', async () => {
    const local = await open(twoAccounts);
    await local.getByLabel('ZoomGov redirect URI').fill('https://example.com/cb');
    await local.getByRole('button', { name: 'Save' }).click();
    assert.match((await local.locator('#govRedirectUri-error').textContent()) ?? '', /ZoomGov redirect URI must be a loopback URL/);
    assert.equal(await local.locator('#redirectUri-error').isVisible(), false);
    assert.deepEqual(await saves(local), []);
    await local.close();
  });
});

test('ZoomGov fields fixed by environment variables are read-only and say why', async () => {
  const page = await open({ ...twoAccounts, lockedByEnv: ['govClientId', 'govRedirectUri'] });
  assert.equal(await page.getByLabel('ZoomGov client ID').isDisabled(), true);
  assert.equal(await page.getByLabel('ZoomGov redirect URI').isDisabled(), true);
  assert.equal(await page.getByLabel('Client ID', { exact: true }).isDisabled(), false);
  assert.equal(await page.locator('#govClientId-help').textContent(), 'Set by the ZOOM_GOV_CLIENT_ID environment variable.');
  assert.equal(await page.locator('#govRedirectUri-help').textContent(), 'Set by the ZOOM_GOV_REDIRECT_URI environment variable.');
  await page.close();
});

test('an e-mail address carrying markup is shown as text', async () => {
  const email = '<img src=x onerror=alert(1)>@example.com';
  const page = await open({ ...twoAccounts, accounts: [{ email, cloud: 'gov', default: true }], auth: { status: 'signed-in', account: email } });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  assert.equal(await page.locator('#accounts .email').textContent(), email);
  assert.equal(await page.locator('#auth-status').textContent(), `Signed in as ${email}.`);
  await push(page, { ...twoAccounts, accounts: [{ email, cloud: 'commercial', default: true }], auth: { status: 'signed-in', account: email } });
  assert.equal(await page.locator('#accounts .email').textContent(), email);
  assert.equal(await page.locator('img').count(), 0);
  await page.getByRole('button', { name: /^Sign out/ }).click();
  assert.deepEqual(await calls(page), [['signOut', { email, cloud: 'commercial' }]]);
  assert.deepEqual(dialogs, []);
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

test('reminders and starting on time are set in the form and saved; a bad number is said beside the field', async () => {
  const page = await open(baseView, { save: "if (input.reminderMinutes > 60) return { ok: false, errors: { reminderMinutes: 'Remind 0 (never) to 60 minutes before.' } };" });
  assert.equal(await page.getByLabel('Remind me this many minutes before each meeting').inputValue(), '1');
  await page.getByLabel('Remind me this many minutes before each meeting').fill('5');
  await page.getByLabel('Start my meetings automatically at their start time').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();
  const [saved] = await saves(page);
  assert.equal(saved?.reminderMinutes, 5);
  assert.equal(saved?.autoStart, true);
  await page.getByLabel('Remind me this many minutes before each meeting').fill('90');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Remind 0 (never) to 60 minutes before.').waitFor();
  assert.equal(await page.locator('#reminderMinutes-error').isVisible(), true);
  await page.close();
});

test('the calendars are listed with their hosts and what went wrong, each with a Remove button that names it; none: a sentence says so', async () => {
  const page = await open({ ...baseView, calendars: TWO_CALENDARS });
  assert.equal(await page.getByRole('heading', { name: 'Calendars' }).isVisible(), true);
  assert.deepEqual(await calendarRows(page), ['Work | calendar.google.com | [Remove]', `Family | p42-caldav.icloud.com | [Remove] | ${GONE}`]);
  assert.equal(await page.getByRole('button', { name: 'Remove Work', exact: true }).isVisible(), true);
  assert.equal(await page.getByRole('button', { name: 'Remove Family', exact: true }).isVisible(), true);
  assert.equal(await page.locator('.calendar .problem').isVisible(), true);
  assert.equal(await page.locator('#calendars-empty').isVisible(), false);
  await page.close();
  const none = await open();
  assert.equal(await none.locator('#calendars').isVisible(), false);
  assert.equal(await none.locator('#calendars-empty').textContent(), 'No calendars yet. Add one to see the Zoom meetings in it.');
  assert.equal(await none.locator('#calendars-empty').isVisible(), true);
  assert.equal(await none.getByRole('button', { name: /^Remove/ }).count(), 0);
  await none.close();
});

test('adding a calendar: read while the button says so, then the address leaves the page, the status says the count and the list shows it', async () => {
  const page = await open(baseView, { addCalendar: HELD });
  const address = page.getByLabel('Secret iCal address');
  assert.equal(await address.getAttribute('type'), 'password', 'not shown while typed, as a password is not');
  await address.fill(ADDRESS);
  await page.getByLabel(/^Name/).fill('  Work  ');
  await page.getByRole('button', { name: 'Add calendar' }).click();
  const reading = page.getByRole('button', { name: 'Reading the calendar…' });
  await reading.waitFor();
  assert.equal(await reading.isDisabled(), true);
  await page.waitForFunction(() => typeof (window as unknown as { __answer?: unknown }).__answer === 'function');
  assert.deepEqual(await calls(page), [['addCalendar', ADDRESS, 'Work']]);
  await page.evaluate(() => (window as unknown as { __answer: () => void }).__answer());
  await page.getByText('Added Work: 3 Zoom meetings in the next 7 days.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Add calendar' }).isEnabled(), true);
  assert.equal(await focusedId(page), 'add-calendar', 'the focus is back on the button');
  assert.equal(await address.inputValue(), '');
  assert.equal(await page.getByLabel(/^Name/).inputValue(), '');
  assert.deepEqual(await calendarRows(page), ['Work | calendar.google.com | [Remove]']);
  assert.equal(await page.locator('#calendars-empty').isVisible(), false);
  const text = await pageText(page);
  assert.ok(!text.includes(TOKEN) && !text.includes('/calendar/ical/'), 'the address is nowhere in the page');
  await page.close();
});

test('a calendar add that is refused says why beside the address, which takes the focus and stays to be corrected; nothing is listed', async (t) => {
  const message = 'Calendar "Work" (calendar.google.com) did not answer with a calendar (it sent a web page, perhaps a sign-in page).';
  const refusedWith = async (answer: string, expected: string | RegExp): Promise<Page> => {
    const page = await open(baseView, { addCalendar: answer });
    await page.getByLabel('Secret iCal address').fill(ADDRESS);
    await page.getByLabel(/^Name/).fill('Work');
    await page.getByRole('button', { name: 'Add calendar' }).click();
    const error = page.locator('#calendarAddress-error');
    await page.getByText(expected).waitFor();
    assert.equal(await error.isVisible(), true);
    assert.match((await page.getByLabel('Secret iCal address').getAttribute('aria-describedby')) ?? '', /\bcalendarAddress-error\b/);
    assert.equal(await page.getByLabel('Secret iCal address').getAttribute('aria-invalid'), 'true');
    assert.equal(await focusedId(page), 'calendarAddress');
    assert.equal(await page.getByLabel('Secret iCal address').inputValue(), ADDRESS, 'kept, to be corrected');
    assert.equal(await page.getByLabel(/^Name/).inputValue(), 'Work');
    assert.equal(await page.locator('#calendar-status').textContent(), 'The calendar was not added.');
    assert.equal(await page.getByRole('button', { name: 'Add calendar' }).isEnabled(), true);
    assert.equal(await page.locator('#calendars > li').count(), 0);
    assert.equal(await page.locator('#calendars-empty').isVisible(), true);
    return page;
  };
  await t.test('by the main process: its message; tried again, it is added and the message goes', async () => {
    const page = await refusedWith(`if (window.__calls.length === 1) return { ok: false, message: ${JSON.stringify(message)} };`, message);
    assert.equal(await page.locator('#calendarAddress-error').textContent(), message);
    await page.getByRole('button', { name: 'Add calendar' }).click();
    await page.getByText('Added Work: 3 Zoom meetings in the next 7 days.').waitFor();
    assert.equal(await page.locator('#calendarAddress-error').isVisible(), false);
    assert.equal(await page.getByLabel('Secret iCal address').getAttribute('aria-invalid'), null);
    assert.deepEqual(await calendarRows(page), ['Work | calendar.google.com | [Remove]']);
    await page.close();
  });
  await t.test('by the IPC layer (a rejected request): said, not left "Reading…"', async () => {
    const page = await refusedWith("throw new Error('zoom-tray: calendars:add takes an address.');", /^Could not add the calendar: .*takes an address/);
    await page.close();
  });
  await t.test('an answer that quotes the address: shown without it', async () => {
    const page = await refusedWith('return { ok: false, message: `Nothing at ${address}.` };', 'Nothing at (the address).');
    assert.ok(!(await page.evaluate(() => document.body.innerText)).includes(TOKEN));
    await page.close();
  });
  await t.test('checked in the page: no address, or a link for a name, is said beside its field and not sent', async () => {
    const page = await open();
    await page.getByRole('button', { name: 'Add calendar' }).click();
    assert.equal(await page.locator('#calendarAddress-error').textContent(), "Paste the calendar's secret address here.");
    assert.equal(await focusedId(page), 'calendarAddress');
    await page.getByLabel('Secret iCal address').fill(ADDRESS);
    await page.getByLabel(/^Name/).fill('webcal://p42-caldav.icloud.com');
    await page.getByLabel(/^Name/).press('Enter');
    assert.equal(await page.locator('#calendarName-error').textContent(), 'A name is not a link: the address goes in the field above.');
    assert.equal(await page.locator('#calendarAddress-error').isVisible(), false);
    assert.equal(await page.getByLabel(/^Name/).getAttribute('aria-invalid'), 'true');
    assert.equal(await focusedId(page), 'calendarName');
    assert.deepEqual(await calls(page), []);
    await page.close();
  });
});

test('"Remove" removes the calendar of its row; the view the main process pushes re-renders the list and the focus moves on', async () => {
  const page = await open({ ...baseView, calendars: TWO_CALENDARS });
  await page.getByRole('button', { name: 'Remove Family', exact: true }).click();
  assert.deepEqual(await calls(page), [['removeCalendar', 'Family']]);
  await push(page, { ...baseView, calendars: [TWO_CALENDARS[0]!] });
  assert.deepEqual(await calendarRows(page), ['Work | calendar.google.com | [Remove]']);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-labelledby')), 'remove-calendar-0 calendar-0', 'on the calendar left');
  await page.keyboard.press('Enter');
  assert.deepEqual(await calls(page), [['removeCalendar', 'Family'], ['removeCalendar', 'Work']]);
  await push(page, { ...baseView, calendars: [] });
  assert.equal(await page.locator('#calendars > li').count(), 0);
  assert.equal(await page.locator('#calendars-empty').isVisible(), true);
  assert.equal(await focusedId(page), 'calendarAddress', 'none left: on the field that adds one');
  await page.close();
});

test('a calendar name carrying markup is shown as text, listed and added', async () => {
  const name = '<img src=x onerror=alert(1)>';
  const page = await open({ ...baseView, calendars: [{ name, host: 'calendar.google.com', problem: `${name} failed` }] });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  assert.equal(await page.locator('.calendar-name').textContent(), name);
  assert.equal(await page.locator('.calendar .problem').textContent(), `${name} failed`);
  assert.equal(await page.getByRole('button', { name: `Remove ${name}`, exact: true }).isVisible(), true);
  await page.getByLabel('Secret iCal address').fill(ADDRESS);
  await page.getByLabel(/^Name/).fill('<b onclick=x>2</b>');
  await page.getByRole('button', { name: 'Add calendar' }).click();
  await page.getByText('Added <b onclick=x>2</b>: 3 Zoom meetings in the next 7 days.').waitFor();
  assert.deepEqual((await calendarRows(page)).map((r) => r.split(' | ')[0]), [name, '<b onclick=x>2</b>']);
  assert.equal(await page.locator('main img, main b').count(), 0);
  assert.deepEqual(dialogs, []);
  await page.close();
});
