import type { AccountRef, Cloud } from './clouds';
import type { FieldErrors, Settings, SettingsInput } from './settings-schema';

/**
 * Every IPC channel between the settings window and the main process, with its payload types.
 * The preload, the renderer and the main process all import this one file.
 */

/** `starting`: settings and keychain not read yet, so nothing can be offered but Settings and Quit. */
export type AuthStatus = 'starting' | 'needs-setup' | 'signed-out' | 'signing-in' | 'signed-in';

/** A signed-in account as the settings window lists it. */
export interface AccountView extends AccountRef {
  readonly default: boolean;
}

/** What the settings window shows. Never carries a secret: only whether one is stored. */
export interface SettingsView {
  readonly settings: Settings;
  readonly hasClientSecret: boolean;
  readonly hasGovClientSecret: boolean;
  /** Every signed-in account, the default first. */
  readonly accounts: readonly AccountView[];
  /** The calendars whose Zoom meetings are shown: names and hosts, never their (secret) addresses. */
  readonly calendars: readonly CalendarView[];
  /** The clouds whose Zoom app is set up (a client ID in the settings or the environment): accounts can be added there. */
  readonly clouds: readonly Cloud[];
  /** Settings fixed by environment variables (ZOOM_CLIENT_ID, …), shown read-only. */
  readonly lockedByEnv: readonly (keyof Settings)[];
  /** The default account's state (the one the shortcut starts). */
  readonly auth: { readonly status: AuthStatus; readonly account?: string };
  /** Why the global shortcut is not active, when it is not. */
  readonly shortcutProblem?: string;
  /** Why the join-from-clipboard shortcut is not active, when it is set and not active. */
  readonly joinShortcutProblem?: string;
  /** A problem with the settings file found at start-up. */
  readonly warning?: string;
  /** What the desktop will ask about the global shortcut (Wayland). */
  readonly shortcutNote?: string;
  /** The command that starts the default meeting, for the desktop's own shortcut settings. */
  readonly startCommand: string;
  readonly platform: string;
}

/** A calendar as the settings window lists it. */
export interface CalendarView {
  readonly name: string;
  /** Its address's host (calendar.google.com): the address itself is a secret and never leaves the main process. */
  readonly host: string;
  /** Why it could not be read last time (its last good meetings are still shown). */
  readonly problem?: string;
}

/** What adding a calendar came to: how many Zoom meetings it holds in the next 7 days, or why it cannot be used (nothing kept). */
export type CalendarAddResult = { readonly ok: true; readonly name: string; readonly count: number; readonly view: SettingsView } | { readonly ok: false; readonly message: string };

export type SaveResult =
  | { readonly ok: true; readonly view: SettingsView }
  /** `errors` per field; `message` when the save itself failed (keychain, disk). */
  | { readonly ok: false; readonly errors: FieldErrors; readonly message?: string };

/** Request/response channels (ipcRenderer.invoke → ipcMain.handle). */
export interface InvokeChannels {
  'settings:get': { request: null; response: SettingsView };
  'settings:save': { request: SettingsInput; response: SaveResult };
  /** Adds an account (or renews one) on a cloud; null: the commercial cloud. */
  'auth:sign-in': { request: { readonly cloud: Cloud } | null; response: null };
  /** Signs one account out; null: the default account. */
  'auth:sign-out': { request: AccountRef | null; response: null };
  'accounts:make-default': { request: AccountRef; response: null };
  /** Reads the calendar once, then keeps it (the address in the keychain); `name` defaults from its provider. */
  'calendars:add': { request: { readonly address: string; readonly name?: string }; response: CalendarAddResult };
  'calendars:remove': { request: { readonly name: string }; response: null };
}
export type InvokeChannel = keyof InvokeChannels;
export const INVOKE_CHANNELS: readonly InvokeChannel[] = ['settings:get', 'settings:save', 'auth:sign-in', 'auth:sign-out', 'accounts:make-default', 'calendars:add', 'calendars:remove'];

/** Main → renderer pushes. */
export interface EventChannels {
  'settings:changed': SettingsView;
}
export const VIEW_CHANGED: keyof EventChannels = 'settings:changed';

/** The API the preload exposes on `window.zoomTray`. */
export interface ZoomTrayBridge {
  getSettings(): Promise<SettingsView>;
  saveSettings(input: SettingsInput): Promise<SaveResult>;
  /** "Add account…" on a cloud (default: commercial). */
  signIn(cloud?: Cloud): Promise<null>;
  /** Signs out one account (default: the default account). */
  signOut(account?: AccountRef): Promise<null>;
  makeDefault(account: AccountRef): Promise<null>;
  /** Adds a calendar by its secret address (read once first); `name` optional. */
  addCalendar(address: string, name?: string): Promise<CalendarAddResult>;
  removeCalendar(name: string): Promise<null>;
  /** Returns a function that stops listening. */
  onChange(listener: (view: SettingsView) => void): () => void;
}
export const BRIDGE_KEY = 'zoomTray';
