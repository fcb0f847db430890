import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { _electron as electron } from 'playwright-core';
import { answerConsent, launchChromium } from '../harness/browser';
import { world } from '../harness/fixtures';

const ROOT = path.resolve(__dirname, '../..');

/** Where an installed Electron binary is, without triggering the electron package's download. */
function electronBinary(): string | undefined {
  const pkg = path.join(ROOT, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : process.platform === 'win32' ? 'electron.exe' : 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const full = override ? path.join(override, relative) : path.join(pkg, 'dist', relative);
  return existsSync(full) ? full : undefined;
}

/** A private X display for the tray and window, when the machine has none (CI). */
async function xvfb(): Promise<{ display: string; child: ChildProcess }> {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const display = await new Promise<string>((resolve, reject) => {
    (child.stdio[3] as Readable).once('data', (d: Buffer) => resolve(`:${d.toString().trim()}`));
    child.once('error', reject);
  });
  return { display, child };
}

const binary = electronBinary();

// CI sets ZOOM_TRAY_REQUIRE_ELECTRON where it fetched the binary: there a missing one is a failure, not a skip.
const skip = binary || process.env.ZOOM_TRAY_REQUIRE_ELECTRON ? false : 'skipped: no Electron binary';

test('the real app under Electron: sandboxed settings window, browser sign-in, global shortcut', { skip, timeout: 120_000 }, async () => {
  assert.ok(binary, 'ZOOM_TRAY_REQUIRE_ELECTRON is set but no Electron binary was found: run node node_modules/electron/install.js');
  const w = await world();
  const x = process.platform === 'linux' && !process.env.DISPLAY ? await xvfb() : undefined;
  const chromium = await launchChromium();
  const app = await electron.launch({
    executablePath: binary,
    args: [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    env: { ...(process.env as Record<string, string>), ...(w.env as Record<string, string>), ...(x ? { DISPLAY: x.display } : {}) },
  });
  try {
    // The system browser is the test's: every URL the app hands to shell.openExternal is kept (on every OS).
    await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as { opened?: string[] }).opened = opened;
      shell.openExternal = async (url: string) => void opened.push(url);
    });
    const registered = await app.evaluate(async ({ app: electronApp, globalShortcut }) => {
      await electronApp.whenReady();
      for (let i = 0; i < 100 && !globalShortcut.isRegistered('CommandOrControl+Alt+Shift+Z'); i++) await new Promise((r) => setTimeout(r, 50));
      return globalShortcut.isRegistered('CommandOrControl+Alt+Shift+Z');
    });
    assert.equal(registered, true);

    // A second launch makes the first open its settings window.
    await app.evaluate(({ app: electronApp }) => void electronApp.emit('second-instance', {}, [], '', {}));
    const page = await app.firstWindow();
    assert.equal(await page.title(), 'zoom-tray settings');
    assert.deepEqual(
      await page.evaluate(() => [typeof (window as unknown as { zoomTray: { getSettings?: unknown } }).zoomTray.getSettings, typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process]),
      ['function', 'undefined', 'undefined'],
    );
    await page.getByText('Not signed in.').waitFor();

    await page.getByRole('button', { name: 'Sign in to Zoom…' }).click();
    let authorizeUrl = '';
    for (let i = 0; i < 100 && !authorizeUrl; i++) {
      authorizeUrl = await app.evaluate(() => (globalThis as { opened?: string[] }).opened?.[0] ?? '');
      if (!authorizeUrl) await sleep(50);
    }
    assert.match(authorizeUrl, /\/oauth\/authorize\?/);
    await answerConsent(chromium, authorizeUrl, 'Allow');
    await page.getByText('Signed in as jane.doe@example.com.').waitFor({ timeout: 15_000 });
  } finally {
    await app.close();
    await chromium.close();
    x?.child.kill();
    await w.close();
  }
});
