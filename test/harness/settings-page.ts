/**
 * The settings window's page (dist/renderer, as built) in Chromium with a stub bridge in place of
 * the preload: for the page's own tests and for the README's picture of it (scripts/docs.ts).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { SettingsView } from '../../main/shared/ipc-channels';

const PAGE = pathToFileURL(path.resolve(__dirname, '../../dist/renderer/index.html')).href;

/** One commercial account, signed in, with its app set up. */
export const baseView: SettingsView = {
  settings: {
    clientId: 'AbC123xyz',
    redirectUri: 'http://localhost:47615/oauth/callback',
    govClientId: '',
    govRedirectUri: 'http://localhost:47615/oauth/callback',
    defaultMeeting: 'pmi',
    shortcut: 'CommandOrControl+Alt+Shift+Z',
    joinShortcut: '',
    launchAtLogin: false,
    reminderMinutes: 1,
    autoStart: false,
    autoJoin: false,
  },
  hasClientSecret: false,
  hasGovClientSecret: false,
  calendars: [],
  accounts: [{ email: 'jane.doe@example.com', cloud: 'commercial', default: true }],
  clouds: ['commercial'],
  lockedByEnv: [],
  auth: { status: 'signed-in', account: 'jane.doe@example.com' },
  startCommand: '/opt/zoom-tray/zoom-tray --start pmi',
  platform: 'linux',
};

/** A commercial default account and a ZoomGov one, with both apps set up. */
export const twoAccounts: SettingsView = {
  ...baseView,
  settings: { ...baseView.settings, govClientId: 'GovApp_42' },
  accounts: [
    { email: 'jane.doe@example.com', cloud: 'commercial', default: true },
    { email: 'j.doe@agency.gov', cloud: 'gov', default: false },
  ],
  clouds: ['commercial', 'gov'],
};

/** One calendar, read fine, beside the two accounts (the README's picture). */
export const oneCalendar: SettingsView = { ...twoAccounts, calendars: [{ name: 'Work', host: 'calendar.google.com' }] };

/**
 * The settings page with a stub bridge in place of the preload; saves are recorded on
 * window.__saves, sign-in, sign-out, make-default and the calendars' add and remove on
 * window.__calls, and window.__push(view) is the main process pushing a new view. `save` replaces
 * the stub's answer to a save, `addCalendar` its answer to an add (script text run in the page,
 * with `address` and `name`); by default an add is answered with 3 meetings and the calendar
 * listed (named `name`, else "Google"; its host calendar.google.com). Removing answers null
 * and changes nothing: the test pushes the view the main process would.
 */
export async function openSettingsPage(
  browser: Browser,
  view: SettingsView = baseView,
  options: { colorScheme?: 'light' | 'dark'; save?: string; addCalendar?: string } = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 520, height: 760 }, colorScheme: options.colorScheme ?? 'light' });
  // Plain script text: functions compiled by tsx carry helpers the page does not have.
  await page.addInitScript(`
    let current = ${JSON.stringify(view)};
    window.__saves = [];
    window.__calls = [];
    const call = (name) => async (...args) => { window.__calls.push([name, ...args]); return null; };
    window.zoomTray = {
      getSettings: async () => current,
      saveSettings: async (input) => {
        window.__saves.push(input);
        ${options.save ?? ''}
        const { clientSecret, govClientSecret, ...settings } = input;
        const stored = (before, secret) => (secret === null ? false : before || typeof secret === 'string');
        current = {
          ...current,
          settings,
          hasClientSecret: stored(current.hasClientSecret, clientSecret),
          hasGovClientSecret: stored(current.hasGovClientSecret, govClientSecret),
        };
        return { ok: true, view: current };
      },
      signIn: call('signIn'),
      signOut: call('signOut'),
      makeDefault: call('makeDefault'),
      addCalendar: async (address, name) => {
        window.__calls.push(['addCalendar', address, name]);
        ${options.addCalendar ?? ''}
        const added = name ?? 'Google';
        current = { ...current, calendars: [...current.calendars, { name: added, host: 'calendar.google.com' }] };
        return { ok: true, name: added, count: 3, view: current };
      },
      removeCalendar: call('removeCalendar'),
      onChange: (listener) => { window.__push = listener; return () => undefined; },
    };
  `);
  await page.goto(PAGE);
  await page.getByText(/Signed in as|Not signed in|Enter your Zoom/).waitFor();
  return page;
}
