import type { Cloud } from '../shared/clouds';
import type { Env } from '../core/config';
import type { AccountView, CalendarView, SettingsView } from '../shared/ipc-channels';
import type { AppState } from './state';

// Electron's globalShortcut uses the GlobalShortcuts portal on Wayland; GNOME asks once, KDE binds
// silently, and register() reports success before the answer (electron/electron#52218).
const WAYLAND_NOTE =
  'On Wayland your desktop asks once whether zoom-tray may use this shortcut (GNOME shows a dialog; KDE allows it silently). ' +
  "If the shortcut does nothing, bind the command below in your desktop's keyboard settings instead.";

/** What the settings window is told beside the state: the machine and the accounts as they stand. */
export interface ViewFacts {
  readonly env: Env;
  readonly platform: NodeJS.Platform;
  /** The command that starts this app; with `--start <meeting>` it is what a desktop shortcut can run. */
  readonly launchCommand: readonly string[];
  readonly accounts: readonly AccountView[];
  readonly calendars: readonly CalendarView[];
  /** The clouds whose Zoom app is configured. */
  readonly clouds: readonly Cloud[];
}

/** POSIX-shell quoting, for a command the user copies into their desktop's shortcut settings. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/** Global shortcuts on Wayland go through the desktop portal, which asks the user (see the README). */
function onWayland(env: Env, platform: NodeJS.Platform): boolean {
  return platform === 'linux' && (env.XDG_SESSION_TYPE === 'wayland' || Boolean(env.WAYLAND_DISPLAY));
}

/** state → what the settings window shows. Pure. */
export function settingsView(s: AppState, facts: ViewFacts): SettingsView {
  return {
    settings: s.settings,
    hasClientSecret: s.hasClientSecret,
    hasGovClientSecret: s.hasGovClientSecret,
    accounts: facts.accounts,
    calendars: facts.calendars,
    clouds: facts.clouds,
    lockedByEnv: s.lockedByEnv,
    auth: { status: s.auth, ...(s.user ? { account: s.user.email } : {}) },
    ...(s.shortcut.problem ? { shortcutProblem: s.shortcut.problem } : {}),
    ...(s.joinShortcut?.problem ? { joinShortcutProblem: s.joinShortcut.problem } : {}),
    ...(s.warning ? { warning: s.warning } : {}),
    ...(onWayland(facts.env, facts.platform) ? { shortcutNote: WAYLAND_NOTE } : {}),
    startCommand: [...facts.launchCommand, '--start', s.settings.defaultMeeting].map(shellQuote).join(' '),
    platform: facts.platform,
  };
}
