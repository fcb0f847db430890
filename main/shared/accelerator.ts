/**
 * Electron accelerator strings for the global shortcut: validation, and recording from a key event
 * in the settings window. No Node or Electron imports: the renderer bundles this file too.
 */
import { excerpt } from '../lib/redact';

const MODIFIERS: Record<string, string> = {
  command: 'Command',
  cmd: 'Command',
  control: 'Control',
  ctrl: 'Control',
  commandorcontrol: 'CommandOrControl',
  cmdorctrl: 'CommandOrControl',
  alt: 'Alt',
  option: 'Alt',
  altgr: 'AltGr',
  shift: 'Shift',
  super: 'Super',
  meta: 'Super',
};
const MODIFIER_ORDER = ['CommandOrControl', 'Command', 'Control', 'Super', 'Alt', 'AltGr', 'Shift'];

const NAMED_KEYS = [
  'Plus', 'Space', 'Tab', 'Capslock', 'Numlock', 'Scrolllock', 'Backspace', 'Delete', 'Insert', 'Return', 'Enter',
  'Up', 'Down', 'Left', 'Right', 'Home', 'End', 'PageUp', 'PageDown', 'Escape', 'Esc', 'PrintScreen',
  'VolumeUp', 'VolumeDown', 'VolumeMute', 'MediaNextTrack', 'MediaPreviousTrack', 'MediaStop', 'MediaPlayPause',
  'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
];
const KEYS = new Map<string, string>(NAMED_KEYS.map((k) => [k.toLowerCase(), k]));
for (let i = 0; i <= 9; i++) KEYS.set(`num${i}`, `num${i}`);
const PUNCTUATION = '`~!@#$%^&*()-_=[]{}\\|;:\'",<.>/?';

/** Keys that may stand alone as a global shortcut: they do not type text. */
function standsAlone(key: string): boolean {
  return /^F([1-9]|1\d|2[0-4])$/.test(key) || key.startsWith('Media') || key.startsWith('Volume');
}

function normaliseKey(token: string): string | undefined {
  if (/^[a-z0-9]$/i.test(token)) return token.toUpperCase();
  if (/^f([1-9]|1\d|2[0-4])$/i.test(token)) return token.toUpperCase();
  if (token.length === 1 && PUNCTUATION.includes(token)) return token;
  return KEYS.get(token.toLowerCase());
}

export type AcceleratorCheck = { ok: true; accelerator: string } | { ok: false; reason: string };

export function checkAccelerator(text: string): AcceleratorCheck {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, reason: 'Press a key combination.' };
  // "+" separates parts; a trailing "++" means the plus key itself.
  const parts = trimmed.endsWith('++') ? [...trimmed.slice(0, -2).split('+'), '+'] : trimmed.split('+');
  const keyToken = parts.pop() ?? '';
  const modifiers: string[] = [];
  for (const token of parts) {
    const modifier = MODIFIERS[token.trim().toLowerCase()];
    if (!modifier) return { ok: false, reason: `"${excerpt(token, 40)}" is not a modifier (use CommandOrControl, Alt, Shift, Super).` };
    if (modifiers.includes(modifier)) return { ok: false, reason: `${modifier} appears twice.` };
    modifiers.push(modifier);
  }
  const key = keyToken === '+' ? 'Plus' : normaliseKey(keyToken.trim());
  if (!key) return { ok: false, reason: `"${excerpt(keyToken, 40)}" is not a key Electron can register.` };
  if (!standsAlone(key) && !modifiers.some((m) => m !== 'Shift')) {
    return { ok: false, reason: 'Add CommandOrControl, Alt or Super, so the shortcut does not swallow normal typing.' };
  }
  modifiers.sort((a, b) => MODIFIER_ORDER.indexOf(a) - MODIFIER_ORDER.indexOf(b));
  return { ok: true, accelerator: [...modifiers, key].join('+') };
}

export interface KeyEventLike {
  readonly code: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

const CODE_KEYS: Record<string, string> = {
  Space: 'Space', Tab: 'Tab', Backspace: 'Backspace', Delete: 'Delete', Insert: 'Insert', Enter: 'Return',
  ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right', Home: 'Home', End: 'End',
  PageUp: 'PageUp', PageDown: 'PageDown', PrintScreen: 'PrintScreen',
  Minus: '-', Equal: '=', BracketLeft: '[', BracketRight: ']', Backslash: '\\', Semicolon: ';', Quote: "'",
  Comma: ',', Period: '.', Slash: '/', Backquote: '`',
  NumpadDecimal: 'numdec', NumpadAdd: 'numadd', NumpadSubtract: 'numsub', NumpadMultiply: 'nummult', NumpadDivide: 'numdiv',
  MediaTrackNext: 'MediaNextTrack', MediaTrackPrevious: 'MediaPreviousTrack', MediaStop: 'MediaStop', MediaPlayPause: 'MediaPlayPause',
};

function keyFromCode(code: string): string | undefined {
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter) return letter[1];
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(code);
  if (digit) return code.startsWith('Numpad') ? `num${digit[1]}` : digit[1];
  if (/^F([1-9]|1\d|2[0-4])$/.test(code)) return code;
  return CODE_KEYS[code];
}

/**
 * The accelerator a key press in the recorder means, by physical key (so layouts agree with
 * Electron). Ctrl on Windows/Linux and Cmd on macOS become CommandOrControl, so a saved shortcut
 * means the same on every platform. Undefined while only modifiers are held.
 */
export function acceleratorFromKeyEvent(event: KeyEventLike, isMac: boolean): AcceleratorCheck | undefined {
  const key = keyFromCode(event.code);
  if (!key) return undefined;
  const modifiers: string[] = [];
  const primary = isMac ? event.metaKey : event.ctrlKey;
  const secondary = isMac ? event.ctrlKey : event.metaKey;
  if (primary) modifiers.push('CommandOrControl');
  if (secondary) modifiers.push(isMac ? 'Control' : 'Super');
  if (event.altKey) modifiers.push('Alt');
  if (event.shiftKey) modifiers.push('Shift');
  return checkAccelerator([...modifiers, key === '+' ? 'Plus' : key].join('+'));
}

/** How the shortcut reads in the UI: ⌘⌥⇧Z on macOS, Ctrl+Alt+Shift+Z elsewhere. */
export function displayAccelerator(accelerator: string, isMac: boolean): string {
  const names: Record<string, string> = isMac
    ? { CommandOrControl: '⌘', Command: '⌘', Control: '⌃', Alt: '⌥', AltGr: '⌥', Shift: '⇧', Super: '⌘' }
    : { CommandOrControl: 'Ctrl', Command: 'Super', Control: 'Ctrl', Alt: 'Alt', AltGr: 'AltGr', Shift: 'Shift', Super: 'Super' };
  const parts = accelerator.split('+').map((p) => names[p] ?? p);
  return isMac ? parts.join('') : parts.join('+');
}
