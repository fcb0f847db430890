import type { SaveResult, SettingsView, ZoomTrayBridge } from '../main/ipc/channels';
import { acceleratorFromKeyEvent, displayAccelerator } from '../main/settings/accelerator';
import { type FieldErrors, type SettingsInput, validateSettingsInput } from '../main/settings/schema';

declare global {
  interface Window {
    readonly zoomTray: ZoomTrayBridge;
  }
}

const FIELDS = ['clientId', 'clientSecret', 'redirectUri', 'defaultMeeting', 'shortcut', 'launchAtLogin'] as const;

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
const defaultMeeting = $<HTMLSelectElement>('defaultMeeting');
const recorder = $<HTMLButtonElement>('shortcut');
const clearShortcut = $<HTMLButtonElement>('shortcut-clear');
const launchAtLogin = $<HTMLInputElement>('launchAtLogin');
const status = $<HTMLParagraphElement>('status');

const ENV_LOCKABLE = [
  [clientId, 'clientId', 'ZOOM_CLIENT_ID'],
  [redirectUri, 'redirectUri', 'ZOOM_REDIRECT_URI'],
] as const;
const HELP = { clientId: $('clientId-help').textContent ?? '', redirectUri: $('redirectUri-help').textContent ?? '' };

let view: SettingsView | undefined;
let shortcut = '';
let recording = false;
/** undefined: keep the stored secret; null: forget it. A typed value wins over both. */
let secretChange: null | undefined;
const isMac = (): boolean => view?.platform === 'darwin';

function showShortcut(): void {
  recorder.textContent = recording ? 'Press keys…' : shortcut ? displayAccelerator(shortcut, isMac()) : 'None';
  recorder.setAttribute('aria-pressed', String(recording));
}

function showErrors(errors: FieldErrors): void {
  let first: HTMLElement | undefined;
  for (const field of FIELDS) {
    const message = errors[field];
    const box = $<HTMLParagraphElement>(`${field}-error`);
    const input = field === 'shortcut' ? recorder : $<HTMLElement>(field);
    box.hidden = !message;
    box.textContent = message ?? '';
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    if (message && !first) first = input;
  }
  first?.focus();
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
  $<HTMLButtonElement>('sign-in').hidden = auth.status === 'signed-in';
  $<HTMLButtonElement>('sign-in').disabled = auth.status !== 'signed-out';
  $<HTMLButtonElement>('sign-out').hidden = auth.status !== 'signed-in';
  const warning = $('warning');
  warning.hidden = !next.warning;
  warning.textContent = next.warning ?? '';
  const note = $('shortcut-note');
  note.hidden = !next.shortcutNote;
  note.textContent = next.shortcutNote ?? '';
  $('start-command').textContent = next.startCommand;
  if (next.shortcutProblem && !recording) showErrors({ shortcut: next.shortcutProblem });
  forgetSecret.hidden = !next.hasClientSecret || secretChange === null;
  clientSecret.placeholder = next.hasClientSecret && secretChange !== null ? '•••••••• (stored in the keychain)' : '';
}

function fill(next: SettingsView): void {
  const s = next.settings;
  clientId.value = s.clientId;
  redirectUri.value = s.redirectUri;
  defaultMeeting.value = s.defaultMeeting;
  launchAtLogin.checked = s.launchAtLogin;
  shortcut = s.shortcut;
  clientSecret.value = '';
  secretChange = undefined;
  for (const [input, field, variable] of ENV_LOCKABLE) {
    const locked = next.lockedByEnv.includes(field);
    input.disabled = locked;
    $(`${field}-help`).textContent = locked ? `Set by the ${variable} environment variable.` : HELP[field];
  }
  showShortcut();
  showStatus(next);
}

function collect(): SettingsInput {
  const typed = clientSecret.value.trim();
  return {
    clientId: clientId.value,
    redirectUri: redirectUri.value,
    defaultMeeting: defaultMeeting.value as SettingsInput['defaultMeeting'],
    shortcut,
    launchAtLogin: launchAtLogin.checked,
    ...(typed ? { clientSecret: typed } : secretChange === null ? { clientSecret: null } : {}),
  };
}

recorder.addEventListener('click', () => {
  recording = !recording;
  showErrors({});
  showShortcut();
});
recorder.addEventListener('blur', () => {
  recording = false;
  showShortcut();
});
recorder.addEventListener('keydown', (event) => {
  if (!recording) return;
  event.preventDefault();
  if (event.key === 'Escape') {
    recording = false;
    showShortcut();
    return;
  }
  const result = acceleratorFromKeyEvent(event, isMac());
  if (!result) return; // only modifiers so far
  if (!result.ok) {
    showErrors({ shortcut: result.reason });
    return;
  }
  shortcut = result.accelerator;
  recording = false;
  showErrors({});
  showShortcut();
});
clearShortcut.addEventListener('click', () => {
  shortcut = '';
  recording = false;
  showErrors({});
  showShortcut();
});
forgetSecret.addEventListener('click', () => {
  secretChange = null;
  clientSecret.value = '';
  if (view) showStatus(view);
  status.textContent = 'The stored secret will be forgotten when you save.';
});

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

$('sign-in').addEventListener('click', () => void window.zoomTray.signIn());
$('sign-out').addEventListener('click', () => void window.zoomTray.signOut());

window.zoomTray.onChange(showStatus);
void window.zoomTray.getSettings().then(fill);
