import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Where Google Chrome is installed by default, on the platforms without Debian's Chromium. */
const CHROME: Partial<Record<NodeJS.Platform, string>> = {
  darwin: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  win32: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
};

export const CHROMIUM = process.env.CHROMIUM_PATH ?? CHROME[process.platform] ?? '/usr/bin/chromium';

/** Chromium or Chrome, headless, with nothing that reaches past loopback. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    const install = process.platform === 'linux' ? 'apt-get install chromium' : 'install Google Chrome';
    throw new Error(`Chromium is missing at ${CHROMIUM}: ${install} (or set CHROMIUM_PATH to a Chrome or Chromium executable).`);
  }
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
