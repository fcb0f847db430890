import { type AccountRef, type Cloud, CLOUD_NAMES } from '../main/shared/clouds';
import type { AccountView, CalendarAddResult, CalendarView, SaveResult, SettingsView, ZoomTrayBridge } from '../main/shared/ipc-channels';
import { acceleratorFromKeyEvent, displayAccelerator } from '../main/shared/accelerator';
import { type FieldErrors, type SettingsInput, validateSettingsInput } from '../main/shared/settings-schema';

declare global {
  interface Window {
    readonly zoomTray: ZoomTrayBridge;
  }
}

const FIELDS = [
  'clientId',
  'clientSecret',
  'redirectUri',
  'govClientId',
  'govClientSecret',
  'govRedirectUri',
  'defaultMeeting',
  'shortcut',
  'joinShortcut',
  'reminderMinutes',
  'autoStart',
  'autoJoin',
  'launchAtLogin',
] as const;

function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`settings page is missing #${id}`);
  return el as T;
}

const form = $<HTMLFormElement>('form');
const clientId = $<HTMLInputElement>('clientId');
const clientSecret = $<HTMLInputElement>('clientSecret');
const forgetSecret = $<HTMLButtonElement>('forget-secret');
const redirectUri = $<HTMLInputElement>('redirectUri');
const govClientId = $<HTMLInputElement>('govClientId');
const govClientSecret = $<HTMLInputElement>('govClientSecret');
const forgetGovSecret = $<HTMLButtonElement>('forget-gov-secret');
const govRedirectUri = $<HTMLInputElement>('govRedirectUri');
const defaultMeeting = $<HTMLSelectElement>('defaultMeeting');
const launchAtLogin = $<HTMLInputElement>('launchAtLogin');
const reminderMinutes = $<HTMLInputElement>('reminderMinutes');
const autoStart = $<HTMLInputElement>('autoStart');
const autoJoin = $<HTMLInputElement>('autoJoin');
const status = $<HTMLParagraphElement>('status');
const accountList = $<HTMLUListElement>('accounts');
const signIn = $<HTMLButtonElement>('sign-in');
const signInGov = $<HTMLButtonElement>('sign-in-gov');
const calendarList = $<HTMLUListElement>('calendars');
const calendarsEmpty = $<HTMLParagraphElement>('calendars-empty');
const calendarForm = $<HTMLFormElement>('calendar-form');
const calendarAddress = $<HTMLInputElement>('calendarAddress');
const calendarName = $<HTMLInputElement>('calendarName');
const addCalendar = $<HTMLButtonElement>('add-calendar');
const calendarStatus = $<HTMLParagraphElement>('calendar-status');

const ENV_LOCKABLE = [
  [clientId, 'clientId', 'ZOOM_CLIENT_ID'],
  [redirectUri, 'redirectUri', 'ZOOM_REDIRECT_URI'],
  [govClientId, 'govClientId', 'ZOOM_GOV_CLIENT_ID'],
  [govRedirectUri, 'govRedirectUri', 'ZOOM_GOV_REDIRECT_URI'],
] as const;
type Lockable = (typeof ENV_LOCKABLE)[number][1];
const HELP = Object.fromEntries(ENV_LOCKABLE.map(([, field]) => [field, $(`${field}-help`).textContent ?? ''])) as Record<Lockable, string>;

/** The two client secrets: typed into the form, or kept or forgotten in the keychain. */
const SECRETS = {
  clientSecret: { input: clientSecret, forget: forgetSecret, stored: (v: SettingsView) => v.hasClientSecret, name: 'secret' },
  govClientSecret: { input: govClientSecret, forget: forgetGovSecret, stored: (v: SettingsView) => v.hasGovClientSecret, name: 'ZoomGov secret' },
} as const;
type SecretField = keyof typeof SECRETS;
const SECRET_FIELDS = Object.keys(SECRETS) as SecretField[];

let view: SettingsView | undefined;
/** Per secret, undefined: keep the stored secret; null: forget it. A typed value wins over both. */
const secretChange: Record<SecretField, null | undefined> = { clientSecret: undefined, govClientSecret: undefined };
const isMac = (): boolean => view?.platform === 'darwin';

type ShortcutField = 'shortcut' | 'joinShortcut';
/** Each shortcut is recorded by pressing it on its button, or cleared. */
const RECORDERS = {
  shortcut: { button: $<HTMLButtonElement>('shortcut'), clear: $<HTMLButtonElement>('shortcut-clear'), value: '', recording: false },
  joinShortcut: { button: $<HTMLButtonElement>('joinShortcut'), clear: $<HTMLButtonElement>('joinShortcut-clear'), value: '', recording: false },
};
const SHORTCUT_FIELDS = Object.keys(RECORDERS) as ShortcutField[];

function showShortcut(field: ShortcutField): void {
  const r = RECORDERS[field];
  r.button.textContent = r.recording ? 'Press keys…' : r.value ? displayAccelerator(r.value, isMac()) : 'None';
  r.button.setAttribute('aria-pressed', String(r.recording));
}

/** `focus`: move to the first error (after a save or a key press, not when the main process pushes a problem). */
function showErrors(errors: FieldErrors, focus = true): void {
  let first: HTMLElement | undefined;
  for (const field of FIELDS) {
    const message = errors[field];
    const box = $<HTMLParagraphElement>(`${field}-error`);
    const input = field === 'shortcut' || field === 'joinShortcut' ? RECORDERS[field].button : $<HTMLElement>(field);
    box.hidden = !message;
    box.textContent = message ?? '';
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (message && !first) first = input;
  }
  if (focus) first?.focus();
}

type AccountAction = 'make-default' | 'sign-out';
/** What each account button does to which account, to find "the same" button again after a re-render. */
const accountButtons = new WeakMap<Element, { readonly action: AccountAction; readonly account: AccountRef }>();

function accountButton(action: AccountAction, id: string, nameId: string, account: AccountRef): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.id = id;
  button.textContent = action === 'sign-out' ? 'Sign out' : 'Make default';
  // "Sign out jane@agency.gov ZoomGov": each row's buttons are told apart by their names.
  button.setAttribute('aria-labelledby', `${id} ${nameId}`);
  const ref: AccountRef = { email: account.email, cloud: account.cloud };
  accountButtons.set(button, { action, account: ref });
  button.addEventListener('click', () => void (action === 'sign-out' ? window.zoomTray.signOut(ref) : window.zoomTray.makeDefault(ref)));
  return button;
}

/** The signed-in accounts, rebuilt on every view; focus stays on the same account when it can. */
function showAccounts(accounts: readonly AccountView[]): void {
  const focused = document.activeElement ? accountButtons.get(document.activeElement) : undefined;
  accountList.replaceChildren(
    ...accounts.map((account, i) => {
      const row = document.createElement('li');
      row.className = 'account';
      const name = document.createElement('span');
      name.className = 'account-name';
      name.id = `account-${i}`;
      const email = document.createElement('span');
      email.className = 'email';
      email.textContent = account.email;
      name.append(email);
      if (account.cloud !== 'commercial') {
        const tag = document.createElement('span');
        tag.className = 'tag';
        tag.textContent = CLOUD_NAMES[account.cloud];
        name.append(' ', tag);
      }
      row.append(name);
      if (account.default) {
        const marker = document.createElement('span');
        marker.className = 'marker';
        marker.textContent = 'default';
        row.append(' ', marker);
      } else {
        row.append(accountButton('make-default', `make-default-${i}`, name.id, account));
      }
      // The default account's button keeps the id the single-account page always had.
      row.append(accountButton('sign-out', account.default ? 'sign-out' : `sign-out-${i}`, name.id, account));
      return row;
    }),
  );
  accountList.hidden = accounts.length === 0;
  if (!focused) return;
  const buttons = [...accountList.querySelectorAll('button')];
  const sameAccount = (b: Element): boolean => {
    const what = accountButtons.get(b);
    return what?.account.email === focused.account.email && what.account.cloud === focused.account.cloud;
  };
  const target =
    buttons.find((b) => sameAccount(b) && accountButtons.get(b)?.action === focused.action) ??
    buttons.find(sameAccount) ??
    [signIn, signInGov].find((b) => !b.hidden && !b.disabled);
  target?.focus();
}

/** Each Remove button's calendar, to find "the same" button again after a re-render. */
const calendarButtons = new WeakMap<Element, string>();

/**
 * The calendars, rebuilt on every view: name, host and what went wrong last time, never an address
 * (the view has none). After a removal the focus moves to the next calendar's button, or the address.
 */
function showCalendars(calendars: readonly CalendarView[]): void {
  const active = document.activeElement;
  const focused = active ? calendarButtons.get(active) : undefined;
  const focusedAt = focused === undefined ? -1 : [...calendarList.querySelectorAll('button')].indexOf(active as HTMLButtonElement);
  calendarList.replaceChildren(
    ...calendars.map((calendar, i) => {
      const row = document.createElement('li');
      row.className = 'calendar';
      const label = document.createElement('span');
      label.className = 'calendar-label';
      const name = document.createElement('span');
      name.className = 'calendar-name';
      name.id = `calendar-${i}`;
      name.textContent = calendar.name;
      const host = document.createElement('span');
      host.className = 'host';
      host.textContent = calendar.host;
      label.append(name, ' ', host);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.id = `remove-calendar-${i}`;
      remove.textContent = 'Remove';
      // "Remove Work": each row's button is told apart by its calendar's name.
      remove.setAttribute('aria-labelledby', `${remove.id} ${name.id}`);
      calendarButtons.set(remove, calendar.name);
      // The main process answers with a new view, which re-renders the list.
      remove.addEventListener('click', () => void window.zoomTray.removeCalendar(calendar.name));
      row.append(label, remove);
      if (calendar.problem) {
        const problem = document.createElement('p');
        problem.className = 'problem';
        problem.id = `calendar-problem-${i}`;
        problem.textContent = calendar.problem;
        remove.setAttribute('aria-describedby', problem.id);
        row.append(problem);
      }
      return row;
    }),
  );
  calendarList.hidden = calendars.length === 0;
  calendarsEmpty.hidden = calendars.length > 0;
  if (focused === undefined) return;
  const buttons = [...calendarList.querySelectorAll('button')];
  (buttons.find((b) => calendarButtons.get(b) === focused) ?? buttons[Math.min(focusedAt, buttons.length - 1)] ?? calendarAddress).focus();
}

/** Account, warnings and shortcut trouble follow the main process; form fields only on load and save. */
function showStatus(next: SettingsView): void {
  view = next;
  const { auth } = next;
  const text: Record<typeof auth.status, string> = {
    starting: 'Loading…',
    'needs-setup': 'Enter your Zoom app\'s client ID below, save, then sign in.',
    'signed-out': 'Not signed in.',
    'signing-in': 'Waiting for you to sign in in your browser…',
    'signed-in': `Signed in as ${auth.account ?? 'your Zoom account'}.`,
  };
  $('auth-status').textContent = text[auth.status];
  const hasAccounts = next.accounts.length > 0;
  const canAdd = (cloud: Cloud): boolean => next.clouds.includes(cloud) && auth.status !== 'starting' && auth.status !== 'signing-in';
  // No account yet: "Sign in to Zoom…" as always. Otherwise one more account can be added per cloud.
  signIn.textContent = hasAccounts ? 'Add Zoom account…' : 'Sign in to Zoom…';
  signIn.hidden = hasAccounts ? !next.clouds.includes('commercial') : auth.status === 'signed-in';
  signIn.disabled = !canAdd('commercial') || (!hasAccounts && auth.status !== 'signed-out');
  signInGov.hidden = !next.clouds.includes('gov');
  signInGov.disabled = !canAdd('gov');
  showAccounts(next.accounts);
  showCalendars(next.calendars);
  const warning = $('warning');
  warning.hidden = !next.warning;
  warning.textContent = next.warning ?? '';
  const note = $('shortcut-note');
  note.hidden = !next.shortcutNote;
  note.textContent = next.shortcutNote ?? '';
  $('start-command').textContent = next.startCommand;
  const problems: FieldErrors = {
    ...(next.shortcutProblem && !RECORDERS.shortcut.recording ? { shortcut: next.shortcutProblem } : {}),
    ...(next.joinShortcutProblem && !RECORDERS.joinShortcut.recording ? { joinShortcut: next.joinShortcutProblem } : {}),
  };
  if (Object.keys(problems).length > 0) showErrors(problems, false);
  for (const field of SECRET_FIELDS) {
    const { input, forget, stored } = SECRETS[field];
    forget.hidden = !stored(next) || secretChange[field] === null;
    input.placeholder = stored(next) && secretChange[field] !== null ? '•••••••• (stored in the keychain)' : '';
  }
}

function fill(next: SettingsView): void {
  const s = next.settings;
  clientId.value = s.clientId;
  redirectUri.value = s.redirectUri;
  govClientId.value = s.govClientId;
  govRedirectUri.value = s.govRedirectUri;
  defaultMeeting.value = s.defaultMeeting;
  launchAtLogin.checked = s.launchAtLogin;
  reminderMinutes.value = String(s.reminderMinutes);
  autoStart.checked = s.autoStart;
  autoJoin.checked = s.autoJoin;
  RECORDERS.shortcut.value = s.shortcut;
  RECORDERS.joinShortcut.value = s.joinShortcut;
  for (const field of SECRET_FIELDS) {
    SECRETS[field].input.value = '';
    secretChange[field] = undefined;
  }
  for (const [input, field, variable] of ENV_LOCKABLE) {
    const locked = next.lockedByEnv.includes(field);
    input.disabled = locked;
    $(`${field}-help`).textContent = locked ? `Set by the ${variable} environment variable.` : HELP[field];
  }
  for (const field of SHORTCUT_FIELDS) showShortcut(field);
  showStatus(next);
}

/** A typed secret, null to forget the stored one, or nothing to keep it. */
function secretInput(field: SecretField): Partial<Record<SecretField, string | null>> {
  const typed = SECRETS[field].input.value.trim();
  return typed ? { [field]: typed } : secretChange[field] === null ? { [field]: null } : {};
}

function collect(): SettingsInput {
  return {
    clientId: clientId.value,
    redirectUri: redirectUri.value,
    govClientId: govClientId.value,
    govRedirectUri: govRedirectUri.value,
    defaultMeeting: defaultMeeting.value as SettingsInput['defaultMeeting'],
    shortcut: RECORDERS.shortcut.value,
    joinShortcut: RECORDERS.joinShortcut.value,
    launchAtLogin: launchAtLogin.checked,
    // An empty or partial number stays as typed: the main process says what is wrong with it.
    reminderMinutes: reminderMinutes.value.trim() === '' ? Number.NaN : Number(reminderMinutes.value),
    autoStart: autoStart.checked,
    autoJoin: autoJoin.checked,
    ...secretInput('clientSecret'),
    ...secretInput('govClientSecret'),
  };
}

for (const field of SHORTCUT_FIELDS) {
  const r = RECORDERS[field];
  const stop = (value = r.value): void => {
    r.value = value;
    r.recording = false;
    showErrors({});
    showShortcut(field);
  };
  r.button.addEventListener('click', () => {
    r.recording = !r.recording;
    showErrors({});
    showShortcut(field);
  });
  r.button.addEventListener('blur', () => {
    r.recording = false;
    showShortcut(field);
  });
  r.button.addEventListener('keydown', (event) => {
    if (!r.recording) return;
    event.preventDefault();
    if (event.key === 'Escape') {
      r.recording = false;
      showShortcut(field);
      return;
    }
    const result = acceleratorFromKeyEvent(event, isMac());
    if (!result) return; // only modifiers so far
    if (!result.ok) {
      showErrors({ [field]: result.reason });
      return;
    }
    stop(result.accelerator);
  });
  r.clear.addEventListener('click', () => stop(''));
}
for (const field of SECRET_FIELDS) {
  const { input, forget, name } = SECRETS[field];
  forget.addEventListener('click', () => {
    secretChange[field] = null;
    input.value = '';
    if (view) showStatus(view);
    input.focus(); // the button just hid itself
    status.textContent = `The stored ${name} will be forgotten when you save.`;
  });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = collect();
  const checked = validateSettingsInput(input);
  if (!checked.ok) {
    showErrors(checked.errors);
    status.textContent = 'Please fix the highlighted fields.';
    return;
  }
  status.textContent = 'Saving…';
  window.zoomTray.saveSettings(input).then(
    (result: SaveResult) => {
      if (!result.ok) {
        showErrors(result.errors);
        status.textContent = result.message ?? 'Please fix the highlighted fields.';
        return;
      }
      showErrors({});
      fill(result.view);
      status.textContent = 'Saved.';
    },
    // The main process refused or failed the request: say so instead of "Saving…" forever.
    (err: unknown) => {
      status.textContent = `Could not save: ${err instanceof Error ? err.message : String(err)}`;
    },
  );
});

type CalendarField = 'calendarAddress' | 'calendarName';
const CALENDAR_FIELDS = { calendarAddress, calendarName } as const;

/** One message beside one field of the calendar form (which takes the focus), or none. */
function showCalendarError(field?: CalendarField, message = ''): void {
  for (const [key, input] of Object.entries(CALENDAR_FIELDS)) {
    const box = $<HTMLParagraphElement>(`${key}-error`);
    const here = key === field;
    box.hidden = !here;
    box.textContent = here ? message : '';
    if (here) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
  if (field) CALENDAR_FIELDS[field].focus();
}

let addingCalendar = false;
function setAddingCalendar(adding: boolean): void {
  addingCalendar = adding;
  addCalendar.disabled = adding;
  addCalendar.textContent = adding ? 'Reading the calendar…' : 'Add calendar';
  // What is being read stays what was typed, so a success clears exactly it.
  calendarAddress.readOnly = adding;
  calendarName.readOnly = adding;
}

/**
 * Adds a calendar by its secret address: the main process reads it once, then keeps it. The address
 * works like a password: it leaves the field once added, and no message here ever repeats it. A
 * refusal keeps it in the field, to be corrected.
 */
calendarForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (addingCalendar) return;
  const address = calendarAddress.value.trim();
  const name = calendarName.value.trim();
  calendarStatus.textContent = '';
  if (!address) {
    showCalendarError('calendarAddress', "Paste the calendar's secret address here.");
    return;
  }
  if (/:\/\/|^webcals?:/i.test(name)) {
    showCalendarError('calendarName', 'A name is not a link: the address goes in the field above.');
    return;
  }
  showCalendarError();
  const hadFocus = document.activeElement === addCalendar;
  setAddingCalendar(true);
  // Should an answer ever quote the address, it is not shown.
  const unquoted = (text: string): string => text.split(address).join('(the address)');
  const refused = (message: string): void => {
    setAddingCalendar(false);
    showCalendarError('calendarAddress', unquoted(message));
    calendarStatus.textContent = 'The calendar was not added.';
  };
  window.zoomTray.addCalendar(address, name || undefined).then(
    (result: CalendarAddResult) => {
      if (!result.ok) {
        refused(result.message);
        return;
      }
      setAddingCalendar(false);
      calendarAddress.value = '';
      calendarName.value = '';
      showStatus(result.view);
      calendarStatus.textContent = `Added ${result.name}: ${result.count} Zoom meeting${result.count === 1 ? '' : 's'} in the next 7 days.`;
      // The button was disabled while reading, which took the focus from it.
      if (hadFocus) addCalendar.focus();
    },
    (err: unknown) => refused(`Could not add the calendar: ${err instanceof Error ? err.message : String(err)}`),
  );
});

signIn.addEventListener('click', () => void window.zoomTray.signIn('commercial'));
signInGov.addEventListener('click', () => void window.zoomTray.signIn('gov'));

window.zoomTray.onChange(showStatus);
void window.zoomTray.getSettings().then(fill);
