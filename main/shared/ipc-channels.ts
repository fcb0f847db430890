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
}
export type InvokeChannel = keyof InvokeChannels;
export const INVOKE_CHANNELS: readonly InvokeChannel[] = ['settings:get', 'settings:save', 'auth:sign-in', 'auth:sign-out', 'accounts:make-default'];

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
  /** Returns a function that stops listening. */
  onChange(listener: (view: SettingsView) => void): () => void;
}
export const BRIDGE_KEY = 'zoomTray';
