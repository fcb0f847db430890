/**
 * The thin adapter between electron-updater (GitHub Releases) and the update policy: it feeds the
 * updater's events to the policy, runs the one timer the policy asks for, and performs the restart.
 * Every decision is in update-policy.ts.
 */
import type { App } from 'electron';
import type { Logger, UpdateCheckResult } from 'electron-updater';
import type { AppUpdaterEvents } from 'electron-updater/out/AppUpdater';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Note } from '../app/notifications';
import { logLine } from './log-lines';
import {
  canCheckManually,
  checkDelay,
  checkDue,
  type InstallFacts,
  initialUpdateState,
  nextUpdateState,
  type UpdateErrorInfo,
  type UpdateEvent,
  type UpdateMenuItem,
  updateMenuItems,
  type UpdateState,
  type UpdaterKind,
  type UpdateStatus,
  updateSupport,
} from './update-policy';

/** The part of electron-updater's AppUpdater this adapter uses. */
export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: Logger | null;
  on<E extends keyof AppUpdaterEvents>(event: E, listener: AppUpdaterEvents[E]): unknown;
  checkForUpdates(): Promise<UpdateCheckResult | null>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

/**
 * electron-updater's updater of the given kind, loaded on first use: Updates asks only once a check
 * is due, and never in a copy that cannot update. The module is about 600 KB of bundled code that
 * takes some 65 ms to load (js-yaml, semver, fs-extra, …); start-up need not pay for it. The kind is
 * chosen by the policy rather than by electron-updater's own autoUpdater, which trusts
 * resources/package-type and so would pick the deb updater in an AppImage (see updateSupport).
 * Creating an updater reads the app's version and resources/app-update.yml.
 */
export function electronUpdater(kind: UpdaterKind): UpdaterPort {
  const updaters = require('electron-updater') as typeof import('electron-updater');
  switch (kind) {
    case 'nsis':
      return new updaters.NsisUpdater();
    case 'mac':
      return new updaters.MacUpdater();
    case 'appimage':
      return new updaters.AppImageUpdater();
    case 'deb':
      return new updaters.DebUpdater();
    case 'rpm':
      return new updaters.RpmUpdater();
    case 'pacman':
      return new updaters.PacmanUpdater();
  }
}

export type LogLevel = 'info' | 'warn' | 'error';

export interface UpdatesOptions {
  /** electronUpdater; asked for once, when the first check is due. */
  readonly updater: (kind: UpdaterKind) => UpdaterPort;
  readonly facts: InstallFacts;
  readonly currentVersion: string;
  /** The app's log, which redacts; lines arrive here with URLs' query strings already removed. */
  readonly log: (level: LogLevel, line: string) => void;
  readonly notify: (note: Note) => void;
  /**
   * Releases everything that keeps the process alive or would stop the new version from starting:
   * timers, the tray, every window, the single-instance lock. Called right before quitAndInstall.
   */
  readonly prepareToQuit: () => void;
  /** app.quit(), for when the installer could not be started after prepareToQuit took the tray away. */
  readonly quit: () => void;
}

export class Updates {
  private state: UpdateState;
  private readonly kind: UpdaterKind | undefined;
  private port: UpdaterPort | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private restarting = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: UpdatesOptions) {
    const support = updateSupport(options.facts);
    this.state = initialUpdateState(support, options.currentVersion, Date.now());
    this.kind = support.supported ? support.kind : undefined;
    if (!support.supported) options.log('info', `updater: updates are off: ${support.reason}`);
  }

  get status(): UpdateStatus {
    return this.state.status;
  }

  /** The update lines and actions for the tray menu. */
  menuItems(): UpdateMenuItem[] {
    return updateMenuItems(this.state);
  }

  /** Called whenever menuItems() may have changed. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Arms the first check, a short while after start-up. */
  start(): void {
    this.arm();
  }

  /** After sleep: timers may not have counted the time asleep, so the wall clock decides. */
  onResume(): void {
    this.tick();
  }

  /** "Check for updates…": the user asked, so the outcome is told (up to date, ready, failed). */
  checkNow(): void {
    if (canCheckManually(this.state)) this.check(true);
  }

  /**
   * "Restart to update". A tray app is built to outlive its windows, and that is what breaks
   * quitAndInstall: the updater closes the windows and expects the app to quit then, but a tray,
   * a window-all-closed handler that keeps the app running, or a `close`/`before-quit`/`will-quit`
   * handler that calls preventDefault keeps the process alive, and the update is never applied.
   * electron/electron#15453: quitAndInstall closes the windows *before* `before-quit`, so a tray
   * app that tears down only in `before-quit` never quits. electron-userland/electron-builder#1604:
   * a window `close` listener stopped quitAndInstall; removing the `close` and `window-all-closed`
   * listeners first made the restart work (electron-userland/electron-builder#4440 reports the same).
   * So the app lets go of everything first (prepareToQuit: timers, tray, windows) and nothing may
   * preventDefault the quit that follows. The single-instance lock goes too: the AppImage updater
   * starts the new version before this process has exited (AppImageUpdater.doInstall), and a new
   * version that finds the lock held quits at once, taking itself for a second instance.
   *
   * Deferred by a tick: this runs from a click in the tray's own menu, and destroying a tray while
   * its menu is still closing crashes on macOS (electron/electron#12862).
   */
  restartToUpdate(): void {
    const port = this.port;
    if (this.state.status.kind !== 'downloaded' || !port || this.restarting) return;
    this.restarting = true;
    setImmediate(() => {
      this.dispose();
      try {
        this.options.prepareToQuit();
      } catch (err) {
        // Quitting is what the user asked for; a failed clean-up must not stop it.
        this.options.log('error', `updater: releasing the app before the update failed: ${logLine(err)}`);
      }
      // Silent: no installer wizard for a one-click tray app. Force-run: start the new version.
      port.quitAndInstall(true, true);
    });
  }

  /** No more checks (will-quit, prepareToQuit); electron-updater's own install-on-quit stays armed. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (checkDue(this.state, Date.now())) this.check(false);
    else this.arm();
  }

  /** One timer, set to when the policy says the next check is due; none while one runs. */
  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed) return;
    const delay = checkDelay(this.state, Date.now());
    if (delay === undefined) return;
    this.timer = setTimeout(() => this.tick(), delay);
    this.timer.unref?.();
  }

  private check(manual: boolean): void {
    // The policy never asks for a check in a copy without an updater kind (not supported).
    if (this.kind === undefined) return;
    let port: UpdaterPort;
    try {
      port = this.connect(this.kind);
    } catch (err) {
      // Creating the updater failed (an app version that is not semver, say): it will not get better.
      this.options.log('error', `updater: cannot start: ${logLine(err)}`);
      this.dispatch({ type: 'inactive', reason: 'the updater could not start' });
      return;
    }
    this.dispatch({ type: 'check-requested', manual });
    port.checkForUpdates().then(
      (result) => {
        if (result === null) this.dispatch({ type: 'inactive', reason: 'electron-updater does not update this copy' });
      },
      // A failed check was already reported through the 'error' event.
      () => undefined,
    );
  }

  private connect(kind: UpdaterKind): UpdaterPort {
    if (this.port) return this.port;
    const port = this.options.updater(kind);
    const log = (level: LogLevel) => (message: unknown) => this.options.log(level, `updater: ${logLine(message)}`);
    port.logger = { info: log('info'), warn: log('warn'), error: log('error') };
    port.autoDownload = true;
    // Also installs a downloaded update whenever the app quits by any other way (menu, logout).
    port.autoInstallOnAppQuit = true;
    port.on('checking-for-update', () => this.dispatch({ type: 'checking' }));
    port.on('update-available', (info) => this.dispatch({ type: 'available', version: info.version }));
    port.on('update-not-available', () => this.dispatch({ type: 'not-available' }));
    port.on('download-progress', (progress) => this.dispatch({ type: 'progress', percent: progress.percent }));
    port.on('update-downloaded', (info) => this.dispatch({ type: 'downloaded', version: info.version }));
    port.on('error', (error) => this.failed(error));
    this.port = port;
    return port;
  }

  private failed(error: unknown): void {
    if (this.restarting) {
      // The installer did not start, and prepareToQuit took the tray away: a process left running
      // would be invisible. Quit, whatever else fails; on Windows and Linux autoInstallOnAppQuit
      // tries the install once more on the way out. No menu is left to update.
      this.restarting = false;
      try {
        this.options.notify({ title: 'The update could not be installed', body: 'zoom-tray has quit; start it again. The details are in the log.' });
      } finally {
        this.options.quit();
      }
      return;
    }
    this.dispatch({ type: 'failed', error: errorInfo(error) });
  }

  private dispatch(event: UpdateEvent): void {
    const { state, note } = nextUpdateState(this.state, event, Date.now());
    if (note) this.options.notify(note);
    if (state === this.state) return;
    this.state = state;
    this.arm();
    for (const listener of this.listeners) listener();
  }
}

function errorInfo(error: unknown): UpdateErrorInfo {
  const fields = typeof error === 'object' && error !== null ? (error as { code?: unknown; statusCode?: unknown }) : {};
  return {
    message: error instanceof Error ? error.message : String(error),
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
    ...(typeof fields.statusCode === 'number' ? { statusCode: fields.statusCode } : {}),
  };
}

/** How this copy was installed, from the files electron-builder leaves and the variables launchers set. */
export function installFacts(app: Pick<App, 'isPackaged'>): InstallFacts {
  // resourcesPath exists only under Electron; a packaged app always runs there.
  const resources = app.isPackaged ? process.resourcesPath : undefined;
  const resource = (file: string): string | undefined => (resources === undefined ? undefined : path.join(resources, file));
  return {
    platform: process.platform,
    isPackaged: app.isPackaged,
    appImage: Boolean(process.env.APPIMAGE),
    snap: Boolean(process.env.SNAP),
    portable: Boolean(process.env.PORTABLE_EXECUTABLE_FILE),
    linuxPackage: process.platform === 'linux' ? readText(resource('package-type')) : undefined,
    updateConfig: existsOrFalse(resource('app-update.yml')),
    nsisInstalled: process.platform === 'win32' && app.isPackaged && hasUninstaller(path.dirname(process.execPath)),
  };
}

function readText(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function existsOrFalse(file: string | undefined): boolean {
  return file !== undefined && existsSync(file);
}

/** electron-builder's NSIS installer puts "Uninstall <product>.exe" beside the executable. */
function hasUninstaller(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => /^Uninstall .+\.exe$/i.test(name));
  } catch {
    return false;
  }
}
