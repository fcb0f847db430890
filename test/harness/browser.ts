import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with nothing that reaches past loopback. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    timeout: 30_000,
  });
}

/** Opens Zoom's (the simulator's) consent page and presses a button, returning the page text it ends on. */
export async function answerConsent(browser: Browser, authorizeUrl: string, button: 'Allow' | 'Decline'): Promise<string> {
  const page = await browser.newPage();
  try {
    await page.goto(authorizeUrl, { timeout: 15_000 });
    await Promise.all([page.waitForURL(/localhost:\d+\/oauth\/callback/, { timeout: 15_000 }), page.getByRole('button', { name: button }).click()]);
    return await page.locator('body').innerText({ timeout: 15_000 });
  } finally {
    await page.close();
  }
}
