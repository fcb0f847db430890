/**
 * When zoom-tray checks for updates, what the tray menu says about them, and what the user is told.
 * Pure: time comes in as numbers (ms since the epoch) and electron-updater's events come in as
 * plain data, so every rule is tested without Electron, timers or the network. The adapter that
 * drives it is updater.ts.
 */
import type { Note } from '../app/notifications';

/** Start-up is busy (settings, keychain, Zoom); the first check waits this long so it does not compete. */
export const START_DELAY_MS = 30_000;
export const CHECK_EVERY_MS = 24 * 60 * 60_000;
/**
 * A tray app starts at login, often before the network is up; waiting a whole day after such a
 * failure would leave a fresh install on an old version, so a failed check is retried sooner.
 */
export const RETRY_AFTER_FAILURE_MS = 60 * 60_000;

/** What the app knows about how it was installed; gathered by the adapter. */
export interface InstallFacts {
  readonly platform: NodeJS.Platform;
  readonly isPackaged: boolean;
  /** APPIMAGE is set: the AppImage runtime launched us and tells us which file to replace. */
  readonly appImage: boolean;
  /** SNAP is set: the Snap store updates the app, not the app itself. */
  readonly snap: boolean;
  /** PORTABLE_EXECUTABLE_FILE is set: electron-builder's portable .exe, which has nothing to update in place. */
  readonly portable: boolean;
  /** resources/package-type, written by electron-builder into deb/rpm/pacman packages only. */
  readonly linuxPackage: string | undefined;
  /** resources/app-update.yml, written by electron-builder only for targets with a publish config. */
  readonly updateConfig: boolean;
  /** An "Uninstall *.exe" beside the executable: installed by NSIS, not an unpacked folder. */
  readonly nsisInstalled: boolean;
}

/** Which of electron-updater's updaters applies to this copy. */
export type UpdaterKind = 'nsis' | 'mac' | 'appimage' | 'deb' | 'rpm' | 'pacman';

export type UpdateSupport = { readonly supported: true; readonly kind: UpdaterKind } | { readonly supported: false; readonly reason: string };

/** The package types electron-builder writes into resources/package-type, each with its updater. */
const LINUX_PACKAGES = ['deb', 'rpm', 'pacman'] as const;

/**
 * Whether this copy can update itself, and with which updater. electron-updater supports AppImage,
 * deb, rpm, pacman, NSIS and macOS zip; a development run, a portable .exe, an unpacked folder or a
 * Snap cannot update.
 */
export function updateSupport(facts: InstallFacts): UpdateSupport {
  const no = (reason: string): UpdateSupport => ({ supported: false, reason });
  if (!facts.isPackaged) return no('not a packaged build');
  let kind: UpdaterKind;
  switch (facts.platform) {
    case 'win32':
      if (facts.portable) return no('a portable build updates by downloading a new one');
      if (!facts.nsisInstalled) return no('not installed by the installer (an unpacked folder)');
      kind = 'nsis';
      break;
    case 'linux': {
      if (facts.snap) return no('the Snap store updates snaps');
      const linuxPackage = LINUX_PACKAGES.find((name) => name === facts.linuxPackage);
      // APPIMAGE first: building the deb writes package-type into the unpacked folder the AppImage
      // is made from too (app-builder-lib 26, FpmTarget), so an AppImage can say "deb"; electron-updater's
      // own choice would then run dpkg from inside an AppImage.
      if (facts.appImage) kind = 'appimage';
      else if (linuxPackage) kind = linuxPackage;
      else return no('neither an AppImage nor a deb/rpm/pacman package');
      break;
    }
    case 'darwin':
      // A signed build is needed as well; Squirrel.Mac says so only when it tries (see classifyUpdateError).
      kind = 'mac';
      break;
    default:
      return no(`no updater for ${facts.platform}`);
  }
  if (!facts.updateConfig) return no('built without a publish configuration (no app-update.yml)');
  return { supported: true, kind };
}

export type UpdateStatus =
  | { readonly kind: 'not-supported'; readonly reason: string }
  | { readonly kind: 'idle' }
  | { readonly kind: 'checking'; readonly manual: boolean }
  | { readonly kind: 'downloading'; readonly version: string; readonly percent: number; readonly manual: boolean }
  | { readonly kind: 'downloaded'; readonly version: string }
  /** message: one sentence for the user; the details went to the log. */
  | { readonly kind: 'error'; readonly message: string };

export interface UpdateState {
  readonly status: UpdateStatus;
  readonly currentVersion: string;
  readonly startedAt: number;
  /** When the last check began, successful or not. */
  readonly lastCheckAt?: number;
}

/** What electron-updater reported, as plain data; `error` keeps only what classifying needs. */
export interface UpdateErrorInfo {
  readonly message: string;
  readonly code?: string;
  readonly statusCode?: number;
}

export type UpdateEvent =
  | { readonly type: 'check-requested'; readonly manual: boolean }
  | { readonly type: 'checking' }
  | { readonly type: 'available'; readonly version: string }
  | { readonly type: 'not-available' }
  | { readonly type: 'progress'; readonly percent: number }
  | { readonly type: 'downloaded'; readonly version: string }
  | { readonly type: 'failed'; readonly error: UpdateErrorInfo }
  /** checkForUpdates() answered null: electron-updater itself considers this copy not updatable. */
  | { readonly type: 'inactive'; readonly reason: string };

export function initialUpdateState(support: UpdateSupport, currentVersion: string, now: number): UpdateState {
  return {
    status: support.supported ? { kind: 'idle' } : { kind: 'not-supported', reason: support.reason },
    currentVersion,
    startedAt: now,
  };
}

const busy = (status: UpdateStatus): boolean => status.kind === 'checking' || status.kind === 'downloading';

/** When the next automatic check is due (ms since the epoch), or undefined when none will be. */
export function nextCheckAt(state: UpdateState): number | undefined {
  const { status, lastCheckAt } = state;
  // Nothing to do once an update waits for a restart; and one check or download at a time.
  if (status.kind === 'not-supported' || status.kind === 'downloaded' || busy(status)) return undefined;
  if (lastCheckAt === undefined) return state.startedAt + START_DELAY_MS;
  return lastCheckAt + (status.kind === 'error' ? RETRY_AFTER_FAILURE_MS : CHECK_EVERY_MS);
}

/**
 * Whether an automatic check should start now: at start after the delay, daily, and on resume
 * from sleep when the last one is older than that (timers do not run while the machine sleeps, so
 * only the wall clock tells).
 */
export function checkDue(state: UpdateState, now: number): boolean {
  const at = nextCheckAt(state);
  return at !== undefined && now >= at;
}

/**
 * How long to wait before looking again, for a single timer. Capped at a day, so a wall clock set
 * back (lastCheckAt in the future) delays a check by at most that.
 */
export function checkDelay(state: UpdateState, now: number): number | undefined {
  const at = nextCheckAt(state);
  return at === undefined ? undefined : Math.min(Math.max(at - now, 0), CHECK_EVERY_MS);
}

/** "Check for updates…" is offered when a check could start: supported, nothing running, nothing waiting. */
export function canCheckManually(state: UpdateState): boolean {
  const { kind } = state.status;
  return kind === 'idle' || kind === 'error';
}

interface ErrorVerdict {
  readonly sentence: string;
  /** The error means this copy can never update itself (an unsigned macOS build). */
  readonly unsupported?: true;
}

const NETWORK = /net::ERR_|\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ESOCKETTIMEDOUT)\b/;
const NOT_FOUND_CODES = new Set([
  'ERR_UPDATER_LATEST_VERSION_NOT_FOUND',
  'ERR_UPDATER_NO_PUBLISHED_VERSIONS',
  'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND',
  'ERR_UPDATER_ASSET_NOT_FOUND',
  'ERR_UPDATER_RELEASE_NOT_FOUND',
]);

/** One sentence for the user about an updater error; the full error is in the log. */
export function classifyUpdateError(error: UpdateErrorInfo): ErrorVerdict {
  const { message, code, statusCode } = error;
  if (/code signature/i.test(message)) {
    // Squirrel.Mac refuses to update an app that is not signed.
    return { sentence: 'This copy of zoom-tray is not signed, so macOS cannot update it. Download the latest version from GitHub.', unsupported: true };
  }
  if (NETWORK.test(message) || NETWORK.test(code ?? '')) return { sentence: 'GitHub could not be reached. Check your internet connection; zoom-tray will try again later.' };
  if (statusCode === 403 || statusCode === 429) return { sentence: 'GitHub is limiting requests right now; zoom-tray will try again later.' };
  if (statusCode === 404 || NOT_FOUND_CODES.has(code ?? '')) return { sentence: 'No update for this system was found on GitHub.' };
  if (code === 'ERR_CHECKSUM_MISMATCH' || /sha512 checksum mismatch/i.test(message)) return { sentence: 'The downloaded update was damaged and was discarded; it will be downloaded again.' };
  if (code === 'ERR_UPDATER_INVALID_SIGNATURE') return { sentence: 'The downloaded update is not signed by the zoom-tray publisher, so it was not installed.' };
  if (/\bENOSPC\b/.test(message) || code === 'ENOSPC') return { sentence: 'There is not enough disk space to download the update.' };
  return { sentence: 'The update check failed; the details are in the log.' };
}

export interface Transition {
  readonly state: UpdateState;
  /** Said only when the user asked (a manual check); automatic checks stay in the menu and the log. */
  readonly note?: Note;
}

/**
 * state + event → state. Returns the same state object when nothing visible changed (a progress
 * event within the same whole percent), so the adapter re-renders the menu only when needed.
 */
export function nextUpdateState(state: UpdateState, event: UpdateEvent, now: number): Transition {
  const { status } = state;
  const manual = status.kind === 'checking' || status.kind === 'downloading' ? status.manual : false;
  const to = (next: UpdateStatus, note?: Note): Transition => ({ state: { ...state, status: next }, ...(note ? { note } : {}) });
  if (status.kind === 'not-supported') return { state };

  switch (event.type) {
    case 'check-requested':
      if (busy(status) || status.kind === 'downloaded') return { state };
      return { state: { ...state, status: { kind: 'checking', manual: event.manual }, lastCheckAt: now } };
    case 'checking':
      // Normally the check that check-requested already recorded (keep who asked); one electron-updater
      // started by itself still counts as running, and as automatic.
      return status.kind === 'checking' ? { state } : { state: { ...state, status: { kind: 'checking', manual: false }, lastCheckAt: now } };
    case 'available':
      return to({ kind: 'downloading', version: event.version, percent: 0, manual });
    case 'not-available':
      if (status.kind !== 'checking') return { state };
      return to({ kind: 'idle' }, manual ? { title: 'zoom-tray is up to date', body: `You have the latest version, ${state.currentVersion}.` } : undefined);
    case 'progress': {
      if (status.kind !== 'downloading' || !Number.isFinite(event.percent)) return { state };
      const percent = Math.min(100, Math.max(0, Math.floor(event.percent)));
      return percent === status.percent ? { state } : to({ ...status, percent });
    }
    case 'downloaded':
      return to(
        { kind: 'downloaded', version: event.version },
        manual ? { title: `zoom-tray ${event.version} is ready`, body: 'Choose "Restart to update" in the zoom-tray menu to install it.' } : undefined,
      );
    case 'failed': {
      const verdict = classifyUpdateError(event.error);
      const title = status.kind === 'downloading' ? 'Could not download the update' : 'Could not check for updates';
      const note = manual ? { title, body: verdict.sentence } : undefined;
      return to(verdict.unsupported ? { kind: 'not-supported', reason: verdict.sentence } : { kind: 'error', message: verdict.sentence }, note);
    }
    case 'inactive':
      return to({ kind: 'not-supported', reason: event.reason });
  }
}

export type UpdateMenuAction = { readonly type: 'check-for-updates' } | { readonly type: 'restart-to-update' };

/** Shaped like the tray's MenuItemModel (no action: an information line). */
export interface UpdateMenuItem {
  readonly label: string;
  readonly action?: UpdateMenuAction;
}

/**
 * What the tray menu shows about updates: nothing while idle or unsupported (besides the manual
 * check), a progress line while downloading, "Restart to update to x.y.z" once downloaded. A failed
 * automatic check is not shown: it is retried, and the log has it.
 */
export function updateMenuItems(state: UpdateState): UpdateMenuItem[] {
  const { status } = state;
  switch (status.kind) {
    case 'not-supported':
      return [];
    case 'idle':
    case 'error':
      return [{ label: 'Check for updates…', action: { type: 'check-for-updates' } }];
    case 'checking':
      return status.manual ? [{ label: 'Checking for updates…' }] : [];
    case 'downloading':
      return [{ label: `Downloading update… ${status.percent} %` }];
    case 'downloaded':
      return [{ label: `Restart to update to ${status.version}`, action: { type: 'restart-to-update' } }];
  }
}
