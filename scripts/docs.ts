/**
 * `npm run docs`: redraws the pictures of docs/tray-app.md into docs/.
 *
 *   docs/tray-menu.png        the menu the real app builds (dist/main.js under the Electron double,
 *                             signed in against the Zoom simulator): meetings the user hosts and one
 *                             they are invited to in the Upcoming list, the "Copy invitation" submenu
 *                             open and the tooltip's countdown above
 *   docs/settings-window.png  the settings page (dist/renderer) with a Zoom and a ZoomGov account and
 *                             one calendar
 *
 * Run it after a change to what they show, and commit the pictures with that change. It needs the
 * build and a keychain: the package.json script builds first and runs it inside
 * test/harness/with-keyring.sh. The meetings are set from the clock, so each run shows other times.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { AppDriver } from '../test/harness/app-driver';
import { launchChromium } from '../test/harness/browser';
import { world } from '../test/harness/fixtures';
import type { MenuItemSnapshot } from '../test/harness/host-protocol';
import { oneCalendar, openSettingsPage } from '../test/harness/settings-page';

const ROOT = path.resolve(__dirname, '..');
/** The submenu drawn open. */
const OPEN = 'Copy invitation';

/** A meeting `minutes` from now, on the whole minute (the simulator's meetings are in UTC, as is the app here). */
const at = (minutes: number): string => new Date(Math.floor(Date.now() / 60_000 + minutes) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Menu labels mark mnemonics with "&": "&&" is a literal one. */
const shown = (label: string): string => label.replace(/&&/g, '\u0000').replace(/&/g, '').replace(/\u0000/g, '&');

const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function menuHtml(items: readonly MenuItemSnapshot[]): string {
  return items
    .map((i) => {
      if (i.type === 'separator') return '<hr>';
      const classes = [i.enabled ? '' : 'info', i.label === OPEN ? 'open' : ''].filter(Boolean).join(' ');
      const key = i.accelerator ? `<kbd>${escape(i.accelerator.replace('CommandOrControl', 'Ctrl'))}</kbd>` : i.submenu ? '<kbd>▸</kbd>' : '';
      const sub = i.label === OPEN && i.submenu ? `<div class="menu sub">${menuHtml(i.submenu)}</div>` : '';
      return `<div class="item ${classes}"><span>${escape(shown(i.label))}</span>${key}${sub}</div>`;
    })
    .join('');
}

async function drawTrayMenu(browser: Browser, file: string): Promise<void> {
  const w = await world({
    sim: {
      meetings: [
        { id: 81234567890, topic: 'Standup', type: 8, start_time: at(4), duration: 15, timezone: 'UTC' },
        { id: 82345678901, topic: 'Design review', type: 2, start_time: at(120), duration: 45, timezone: 'UTC' },
        { id: 83456789012, topic: 'Planning & estimates', type: 2, start_time: at(20 * 60), duration: 60, timezone: 'UTC' },
      ],
      // Someone else's meeting: the menu says "Join", and a click opens its link.
      invitations: [{ id: 87777777777, topic: 'Vendor call', type: 2, start_time: at(45), duration: 30, timezone: 'UTC', password: 'vendor1' }],
    },
  });
  let app: AppDriver | undefined;
  try {
    await w.signIn();
    app = AppDriver.boot(w.env);
    const booted = app;
    await booted.untilMenuHas(/Planning && estimates$/);
    await booted.untilMenuHas(/^Join · .*Vendor call$/);
    const tooltip = await booted.until('the countdown', async () => {
      const tip = (await booted.snapshot()).tray.tooltip;
      return /Standup in \d min$/.test(tip) ? tip : undefined;
    });
    const menu = await booted.menu();
    const icon = (await readFile(path.join(ROOT, 'assets/tray/ready@2x.png'))).toString('base64');

    const page = await browser.newPage({ viewport: { width: 760, height: 400 }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>
      body { margin: 0; padding: 16px; font: 14px system-ui, sans-serif; background: #dfe3e8; }
      .bar { display: flex; align-items: center; gap: 10px; margin-bottom: 8px; }
      .bar img { width: 22px; height: 22px; }
      .tip { background: #333; color: #fff; border-radius: 4px; padding: 3px 8px; font-size: 12px; }
      .menu { display: inline-block; min-width: 300px; background: #fff; border: 1px solid #c4c8cc; border-radius: 6px; padding: 4px 0; box-shadow: 0 4px 16px rgba(0,0,0,.2); }
      .item { position: relative; display: flex; justify-content: space-between; gap: 24px; padding: 4px 16px; white-space: pre; }
      .item.info { color: #7a7f85; }
      .item.open { background: #2d6ad6; color: #fff; }
      kbd { font: inherit; color: #7a7f85; }
      .item.open > kbd { color: #fff; }
      .sub { position: absolute; left: 100%; top: -5px; color: #000; }
      hr { border: 0; border-top: 1px solid #e2e4e7; margin: 4px 0; }
    </style></head><body><div class="bar"><img src="data:image/png;base64,${icon}" alt=""><span class="tip">${escape(tooltip)}</span></div>
    <div class="menu" id="menu">${menuHtml(menu)}</div></body></html>`);

    // A picture that left out a line of the menu would mislead the reader: every line of the real
    // menu, and of the open submenu, is drawn in order, or no picture is written.
    const drawn = await page.locator('#menu > .item, #menu > hr').evaluateAll((nodes) => nodes.map((n) => (n.tagName === 'HR' ? '---' : (n.firstElementChild?.textContent ?? ''))));
    assert.deepEqual(drawn, menu.map((i) => (i.type === 'separator' ? '---' : shown(i.label))), 'the drawing holds the menu');
    const submenu = menu.find((i) => i.label === OPEN)?.submenu ?? [];
    assert.ok(submenu.some((i) => /Design review$/.test(i.label)), `the "${OPEN}" submenu lists the meetings`);
    const drawnSub = await page.locator('.sub > .item > span').allTextContents();
    assert.deepEqual(drawnSub, submenu.filter((i) => i.type !== 'separator').map((i) => shown(i.label)), 'the drawing holds the open submenu');

    await page.screenshot({ path: file, fullPage: true });
    await page.close();
  } finally {
    await app?.quit();
    await w.close();
  }
}

async function drawSettingsWindow(browser: Browser, file: string): Promise<void> {
  const page = await openSettingsPage(browser, oneCalendar);
  await page.screenshot({ path: file, fullPage: true });
  await page.close();
}

async function main(): Promise<void> {
  const browser = await launchChromium();
  try {
    for (const [name, draw] of [
      ['tray-menu.png', drawTrayMenu],
      ['settings-window.png', drawSettingsWindow],
    ] as const) {
      const file = path.join(ROOT, 'docs', name);
      await draw(browser, file);
      console.log(`drew ${path.relative(ROOT, file)}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
