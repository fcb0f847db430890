import { DEFAULT_REDIRECT_URI, parseRedirectUri } from './urls';
import { checkAccelerator } from './accelerator';

/** Settings shared by the main process and the settings window; no Node imports. */

export const DEFAULT_SHORTCUT = 'CommandOrControl+Alt+Shift+Z';
export const DEFAULT_MEETINGS = ['pmi', 'instant', 'next'] as const;
export type DefaultMeeting = (typeof DEFAULT_MEETINGS)[number];

export interface Settings {
  readonly clientId: string;
  readonly redirectUri: string;
  /** The ZoomGov app (zoomgov.com accounts): empty when there is none. */
  readonly govClientId: string;
  readonly govRedirectUri: string;
  readonly defaultMeeting: DefaultMeeting;
  /** Empty: no global shortcut. */
  readonly shortcut: string;
  /** A second global shortcut, for "Join meeting from clipboard"; empty (the default): none. */
  readonly joinShortcut: string;
  readonly launchAtLogin: boolean;
  /** A notification this many minutes before each meeting, whose click starts it; 0: none. */
  readonly reminderMinutes: number;
  /** Start the meetings the user hosts at their start time, by themselves. */
  readonly autoStart: boolean;
  /** Join the other meetings (invitations, calendars) at their start time, by themselves. */
  readonly autoJoin: boolean;
}

export const MAX_REMINDER_MINUTES = 60;

export const DEFAULT_SETTINGS: Settings = {
  clientId: '',
  redirectUri: DEFAULT_REDIRECT_URI,
  govClientId: '',
  govRedirectUri: DEFAULT_REDIRECT_URI,
  defaultMeeting: 'pmi',
  shortcut: DEFAULT_SHORTCUT,
  joinShortcut: '',
  launchAtLogin: false,
  reminderMinutes: 1,
  autoStart: false,
  autoJoin: false,
};

/** What the settings window submits; the client secret goes to the keychain, never the file. */
export interface SettingsInput extends Settings {
  /** Absent: keep the stored secret; null: forget it; a string: store it. */
  readonly clientSecret?: string | null;
  /** The same for the ZoomGov app's secret. */
  readonly govClientSecret?: string | null;
}

export type FieldErrors = Partial<Record<keyof SettingsInput, string>>;
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

const CLIENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim() : undefined;
}

/** Field-by-field checks with messages for the form; the main process runs them on every save. */
export function validateSettingsInput(input: unknown): Validated<SettingsInput> {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const errors: FieldErrors = {};

  const clientId = text(raw.clientId);
  if (clientId === undefined || (clientId !== '' && !CLIENT_ID.test(clientId))) {
    errors.clientId = 'A Zoom client ID has only letters, digits, "-" and "_".';
  }
  const redirectUri = text(raw.redirectUri);
  try {
    parseRedirectUri(redirectUri ?? '', 'The redirect URI');
  } catch (err) {
    errors.redirectUri = (err as Error).message;
  }
  // The ZoomGov app is optional: absent fields (an older window or file) mean none.
  const govClientId = raw.govClientId === undefined ? '' : text(raw.govClientId);
  if (govClientId === undefined || (govClientId !== '' && !CLIENT_ID.test(govClientId))) {
    errors.govClientId = 'A ZoomGov client ID has only letters, digits, "-" and "_".';
  }
  const govRedirectUri = raw.govRedirectUri === undefined ? DEFAULT_REDIRECT_URI : text(raw.govRedirectUri);
  try {
    parseRedirectUri(govRedirectUri ?? '', 'The ZoomGov redirect URI');
  } catch (err) {
    errors.govRedirectUri = (err as Error).message;
  }
  const defaultMeeting = raw.defaultMeeting;
  if (!DEFAULT_MEETINGS.includes(defaultMeeting as DefaultMeeting)) errors.defaultMeeting = 'Choose what the shortcut starts.';
  const accelerator = (field: 'shortcut' | 'joinShortcut', value: unknown): string => {
    const typed = text(value);
    if (typed === undefined) errors[field] = 'Record a shortcut, or clear it.';
    if (!typed) return '';
    const check = checkAccelerator(typed);
    if (check.ok) return check.accelerator;
    errors[field] = check.reason;
    return '';
  };
  const shortcut = accelerator('shortcut', raw.shortcut);
  // Absent (an older window or file): none.
  const joinShortcut = accelerator('joinShortcut', raw.joinShortcut ?? '');
  // Control and Command are the same key as CommandOrControl on one platform or the other: two
  // spellings of one key would register once, and the second would read as "taken by another app".
  const key = (accelerator: string): string => accelerator.replace(/^(?:Command|Control)(?=\+)/, 'CommandOrControl');
  if (joinShortcut && key(joinShortcut) === key(shortcut)) errors.joinShortcut = 'This shortcut already starts your default meeting: choose another.';
  if (typeof raw.launchAtLogin !== 'boolean') errors.launchAtLogin = 'Launch at login is on or off.';
  // Absent (an older window or file): the defaults.
  // A number only: Number() would read null as 0 (reminders silently off), and "0x10" or [5] as numbers.
  const reminderMinutes = raw.reminderMinutes === undefined ? DEFAULT_SETTINGS.reminderMinutes : raw.reminderMinutes;
  if (!Number.isInteger(reminderMinutes) || (reminderMinutes as number) < 0 || (reminderMinutes as number) > MAX_REMINDER_MINUTES) {
    errors.reminderMinutes = `Remind 0 (never) to ${MAX_REMINDER_MINUTES} minutes before.`;
  }
  const autoStart = raw.autoStart === undefined ? DEFAULT_SETTINGS.autoStart : raw.autoStart;
  if (typeof autoStart !== 'boolean') errors.autoStart = 'Starting meetings by themselves is on or off.';
  const autoJoin = raw.autoJoin === undefined ? DEFAULT_SETTINGS.autoJoin : raw.autoJoin;
  if (typeof autoJoin !== 'boolean') errors.autoJoin = 'Joining meetings by themselves is on or off.';
  const secret = raw.clientSecret;
  if (secret !== undefined && secret !== null && (typeof secret !== 'string' || secret.trim() === '' || secret.length > 512)) {
    errors.clientSecret = 'Paste the client secret from your Zoom app, or leave the field empty.';
  }
  const govSecret = raw.govClientSecret;
  if (govSecret !== undefined && govSecret !== null && (typeof govSecret !== 'string' || govSecret.trim() === '' || govSecret.length > 512)) {
    errors.govClientSecret = 'Paste the client secret from your ZoomGov app, or leave the field empty.';
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      clientId: clientId ?? '',
      redirectUri: redirectUri ?? '',
      govClientId: govClientId ?? '',
      govRedirectUri: govRedirectUri ?? '',
      defaultMeeting: defaultMeeting as DefaultMeeting,
      shortcut,
      joinShortcut,
      launchAtLogin: raw.launchAtLogin as boolean,
      reminderMinutes: reminderMinutes as number,
      autoStart: autoStart as boolean,
      autoJoin: autoJoin as boolean,
      ...(secret === undefined ? {} : { clientSecret: typeof secret === 'string' ? secret.trim() : null }),
      ...(govSecret === undefined ? {} : { govClientSecret: typeof govSecret === 'string' ? govSecret.trim() : null }),
    },
  };
}

/** The part of a validated input that is written to the settings file. */
export function toSettings(input: SettingsInput): Settings {
  const { clientId, redirectUri, govClientId, govRedirectUri, defaultMeeting, shortcut, joinShortcut, launchAtLogin, reminderMinutes, autoStart, autoJoin } = input;
  return { clientId, redirectUri, govClientId, govRedirectUri, defaultMeeting, shortcut, joinShortcut, launchAtLogin, reminderMinutes, autoStart, autoJoin };
}
