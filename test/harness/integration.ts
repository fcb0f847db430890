/**
 * Helpers the integration tests share: booting the app, watching what it opened, running and
 * signing in with the CLI, and counting Zoom requests. World set-up (simulator, keychain service,
 * data folder) is in fixtures.ts. Each helper that starts something takes the test's context and
 * ends it when the test (or subtest) ends.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Env } from '../../main/core/config';
import type { ZoomSim } from '../zoom-sim/server';
import { AppDriver } from './app-driver';
import { type CliResult, runCli, spawnCli } from './cli-process';
import { consentOverHttp, leakedSecrets } from './fixtures';
import type { HostSnapshot } from './host-protocol';

/** Requests that cost a round trip to Zoom (token, revoke, /v2/…) so far, on all these simulators. */
export function zoomCalls(...sims: readonly ZoomSim[]): number {
  return sims.reduce((sum, sim) => sum + sim.stats.requests, 0);
}

/** Boots the real bundle under the Electron double; it quits when the test ends. */
export function bootApp(t: TestContext, env: Env, args: readonly string[] = []): AppDriver {
  const app = AppDriver.boot(env, args);
  t.after(async () => {
    await app.quit();
  });
  return app;
}

/** The `count`th URL the app opened (in a browser or Zoom), once it has opened that many. */
export async function openedUrl(app: AppDriver, count: number): Promise<string> {
  const snap = await app.until(`${count} opened URLs`, async () => {
    const s = await app.snapshot();
    return s.opened.length >= count ? s : undefined;
  });
  return snap.opened[count - 1] ?? '';
}

/** Runs `act` and returns the URL it made the app open (the first one opened after it began). */
export async function urlOpenedBy(app: AppDriver, act: () => Promise<unknown>): Promise<string> {
  const opened = (await app.snapshot()).opened.length;
  await act();
  return openedUrl(app, opened + 1);
}

/** The settings window, once it shows. */
export function settingsWindow(app: AppDriver): Promise<NonNullable<HostSnapshot['window']>> {
  return app.until('settings window', async () => {
    const s = await app.snapshot();
    return s.window?.visible ? s.window : undefined;
  });
}

/** Opens the settings window from the menu. IPC is answered only for its page, so tests of IPC open it first. */
export async function openSettings(app: AppDriver): Promise<NonNullable<HostSnapshot['window']>> {
  await app.click('Settings…');
  return settingsWindow(app);
}

/**
 * Runs the CLI and checks its output for leaked secrets of these simulators: none on stderr, and
 * on stdout only the ZAK of a start URL it printed on purpose.
 */
export async function cliWithoutLeaks(sims: readonly ZoomSim[], args: readonly string[], env: Env): Promise<CliResult> {
  const result = await runCli(args, env);
  const printedZaks = [...result.stdout.matchAll(/[?&]zak=([^&\s]+)/g)].map((m) => decodeURIComponent(m[1] ?? ''));
  for (const sim of sims) {
    assert.deepEqual(leakedSecrets(sim, result.stderr), [], `stderr of ${args.join(' ')} leaks a secret`);
    assert.deepEqual(leakedSecrets(sim, result.stdout).filter((s) => !printedZaks.includes(s)), [], `stdout of ${args.join(' ')} leaks a secret`);
  }
  return result;
}

/**
 * `zoom-tray login --no-open [args]`, its consent page answered over HTTP as whoever the simulator
 * has signed in. Returns how it ended; tests that expect a sign-in assert exit 0 themselves.
 */
export async function cliLogin(env: Env, args: readonly string[] = []): Promise<CliResult> {
  const login = spawnCli(['login', '--no-open', ...args], env);
  await consentOverHttp(new URL(await login.firstLine));
  return login.done;
}
