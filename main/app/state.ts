import type { AccountRef } from '../shared/clouds';
import type { AuthStatus } from '../shared/ipc-channels';
import type { Env } from '../core/config';
import type { Settings } from '../shared/settings-schema';
import { agenda } from '../meetings/agenda';
import type { Meeting } from '../meetings/meeting';
import type { ZoomUser } from '../zoom/schemas';

/** Everything the tray menu, the tray icon and the settings window show. */
export interface AppState {
  readonly auth: AuthStatus;
  readonly user?: ZoomUser;
  /** The default account's meetings; undefined until fetched. Views derive what is still ahead. */
  readonly meetings?: readonly Meeting[];
  /** What is being started or signed in right now ("your personal meeting room"). */
  readonly busy?: string;
  /** A background problem worth a line in the menu (offline, keychain locked, …). */
  readonly problem?: string;
  readonly settings: Settings;
  readonly shortcut: { readonly accelerator: string; readonly active: boolean; readonly problem?: string };
  /** The shortcut that joins from the clipboard, when one is set. */
  readonly joinShortcut?: { readonly accelerator: string; readonly active: boolean; readonly problem?: string };
  readonly hasClientSecret: boolean;
  readonly hasGovClientSecret: boolean;
  readonly lockedByEnv: readonly (keyof Settings)[];
  readonly warning?: string;
  /** The default account, when the account list names it: its menu items say whose they are. */
  readonly account?: AccountRef;
  /** The other signed-in accounts, after the default one (whose user and meetings are above). */
  readonly others?: readonly OtherAccount[];
  /** The minute it is (epoch minutes), so what counts down is drawn again each minute, and only then. */
  readonly minute?: number;
  /** A sign-in adding an account waits in the browser; the signed-in accounts stay usable meanwhile. */
  readonly addingAccount?: boolean;
  /** The calendars added (by the settings window or `zoom-tray calendar add`), with their Zoom meetings. */
  readonly calendars?: readonly CalendarShown[];
}

/** A calendar as the menu shows it: never its address (a secret), only its name and host. */
export interface CalendarShown {
  readonly name: string;
  readonly host: string;
  /** Undefined until first fetched; the last good ones while it fails. */
  readonly meetings?: readonly Meeting[];
}

/** An account besides the default one, as the menu shows it. */
export interface OtherAccount {
  readonly account: AccountRef;
  readonly signedIn: boolean;
  readonly user?: ZoomUser;
  readonly meetings?: readonly Meeting[];
}

const agendas = new WeakMap<object, readonly Meeting[]>();

/**
 * Every meeting the tray knows of, one entry each: the accounts' (the default first), then the
 * calendars'. A state is never changed, only replaced: the menu, the tooltip and the minute's
 * on-time plan of one state share one merge.
 */
export function agendaOf(state: Pick<AppState, 'meetings' | 'others' | 'calendars'>): readonly Meeting[] {
  let merged = agendas.get(state);
  if (!merged) agendas.set(state, (merged = merge(state)));
  return merged;
}

function merge(state: Pick<AppState, 'meetings' | 'others' | 'calendars'>): Meeting[] {
  return agenda([state.meetings ?? [], ...(state.others ?? []).map((o) => o.meetings ?? []), ...(state.calendars ?? []).map((c) => c.meetings ?? [])]);
}

const ENV_LOCKS: ReadonlyArray<[string, keyof Settings]> = [
  ['ZOOM_CLIENT_ID', 'clientId'],
  ['ZOOM_REDIRECT_URI', 'redirectUri'],
  ['ZOOM_GOV_CLIENT_ID', 'govClientId'],
  ['ZOOM_GOV_REDIRECT_URI', 'govRedirectUri'],
];

/** Before the settings file is read: nothing to offer but Settings and Quit. */
export function initialState(env: Env): AppState {
  return {
    auth: 'starting',
    settings: { clientId: '', redirectUri: '', govClientId: '', govRedirectUri: '', defaultMeeting: 'pmi', shortcut: '', joinShortcut: '', launchAtLogin: false, reminderMinutes: 0, autoStart: false, autoJoin: false },
    shortcut: { accelerator: '', active: false },
    hasClientSecret: false,
    hasGovClientSecret: false,
    lockedByEnv: ENV_LOCKS.filter(([name]) => env[name]?.trim()).map(([, field]) => field),
  };
}
