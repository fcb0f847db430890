import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { acceleratorFromKeyEvent, checkAccelerator, displayAccelerator } from '../../main/shared/accelerator';
import { DEFAULT_SETTINGS, validateSettingsInput } from '../../main/shared/settings-schema';
import { SettingsStore } from '../../main/core/settings-store';

test('accelerators: normalised, and rejected when Electron cannot register them or they would eat typing', () => {
  assert.deepEqual(checkAccelerator('shift+cmdorctrl+alt+z'), { ok: true, accelerator: 'CommandOrControl+Alt+Shift+Z' });
  assert.deepEqual(checkAccelerator('Ctrl+Plus'), { ok: true, accelerator: 'Control+Plus' });
  assert.deepEqual(checkAccelerator('Alt++'), { ok: true, accelerator: 'Alt+Plus' });
  assert.deepEqual(checkAccelerator('F13'), { ok: true, accelerator: 'F13' });
  assert.deepEqual(checkAccelerator('Super+num5'), { ok: true, accelerator: 'Super+num5' });
  for (const [bad, why] of [['Z', /Add CommandOrControl/], ['Shift+Z', /Add CommandOrControl/], ['Ctrl+Hyper+Z', /not a modifier/], ['Ctrl+Ctrl+Z', /twice/], ['Ctrl+Ä', /not a key/], ['', /Press/]] as const) {
    const r = checkAccelerator(bad);
    assert.ok(!r.ok && why.test(r.reason), `${bad}: ${JSON.stringify(r)}`);
  }
});

test('the recorder maps physical keys; Ctrl (or Cmd on macOS) becomes CommandOrControl', () => {
  const press = (code: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({ code, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });
  assert.deepEqual(acceleratorFromKeyEvent(press('KeyK', { ctrlKey: true, altKey: true }), false), { ok: true, accelerator: 'CommandOrControl+Alt+K' });
  assert.deepEqual(acceleratorFromKeyEvent(press('KeyK', { metaKey: true, shiftKey: true }), true), { ok: true, accelerator: 'CommandOrControl+Shift+K' });
  assert.deepEqual(acceleratorFromKeyEvent(press('ArrowUp', { metaKey: true }), false), { ok: true, accelerator: 'Super+Up' });
  assert.equal(acceleratorFromKeyEvent(press('ControlLeft', { ctrlKey: true }), false), undefined, 'modifiers alone: still recording');
  const bare = acceleratorFromKeyEvent(press('KeyK'), false);
  assert.ok(bare && !bare.ok);
  assert.equal(displayAccelerator('CommandOrControl+Alt+Shift+Z', true), '⌘⌥⇧Z');
  assert.equal(displayAccelerator('CommandOrControl+Alt+Shift+Z', false), 'Ctrl+Alt+Shift+Z');
});

test('settings input: every field checked, the secret kept apart', () => {
  const ok = validateSettingsInput({ ...DEFAULT_SETTINGS, clientId: ' abc_DEF-1 ', shortcut: 'ctrl+alt+m', clientSecret: ' s ' });
  assert.deepEqual(ok, { ok: true, value: { ...DEFAULT_SETTINGS, clientId: 'abc_DEF-1', shortcut: 'Control+Alt+M', clientSecret: 's' } });
  const bad = validateSettingsInput({ clientId: 'a b', redirectUri: 'https://example.com/cb', defaultMeeting: 'later', shortcut: 'Q', launchAtLogin: 'yes', clientSecret: 5 });
  assert.ok(!bad.ok);
  assert.deepEqual(Object.keys(bad.errors).sort(), ['clientId', 'clientSecret', 'defaultMeeting', 'launchAtLogin', 'redirectUri', 'shortcut']);
  for (const redirectUri of ['http://localhost:0/oauth/callback', 'http://user:pw@localhost:47615/oauth/callback']) {
    const unusable = validateSettingsInput({ ...DEFAULT_SETTINGS, redirectUri, govRedirectUri: redirectUri });
    assert.ok(!unusable.ok, redirectUri);
    assert.deepEqual(Object.keys(unusable.errors).sort(), ['govRedirectUri', 'redirectUri'], redirectUri);
    assert.match(unusable.errors.redirectUri ?? '', /^The redirect URI (must use a port from 1 to 65535|must have no user name or password)/);
  }
  assert.deepEqual(validateSettingsInput({ ...DEFAULT_SETTINGS, shortcut: '', clientSecret: null }), { ok: true, value: { ...DEFAULT_SETTINGS, shortcut: '', clientSecret: null } });
  assert.ok(!validateSettingsInput(null).ok);
});

test('settings store: atomic round trip, defaults when missing, a corrupt file kept aside', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-settings-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = new SettingsStore(path.join(dir, 'settings.json'));
  assert.deepEqual(await store.load(), { settings: DEFAULT_SETTINGS });
  const mine = { ...DEFAULT_SETTINGS, clientId: 'abc', defaultMeeting: 'next' as const, launchAtLogin: true };
  await store.save(mine);
  assert.deepEqual(await store.load(), { settings: mine });
  assert.deepEqual(await readdir(dir), ['settings.json'], 'no temporary file left behind');

  await writeFile(store.file, '{"clientId": "abc", ');
  const corrupt = await store.load();
  assert.deepEqual(corrupt.settings, DEFAULT_SETTINGS);
  assert.match(corrupt.warning ?? '', /could not be read; the original was kept as settings\.json\.bad-/);
  const backup = (await readdir(dir)).find((f) => f.includes('.bad-'));
  assert.equal(await readFile(path.join(dir, backup ?? ''), 'utf8'), '{"clientId": "abc", ');

  await writeFile(store.file, '[1, 2, 3]');
  assert.match((await store.load({ keepAside: false })).warning ?? '', /could not be read/, 'JSON that is not an object is not settings');

  await writeFile(store.file, JSON.stringify({ clientId: 'keep-me', shortcut: 'Q', defaultMeeting: 'instant' }));
  const partly = await store.load();
  assert.deepEqual(partly.settings, { ...DEFAULT_SETTINGS, clientId: 'keep-me', defaultMeeting: 'instant' });
  assert.match(partly.warning ?? '', /invalid values \(shortcut\)/);

  // Resetting a broken start shortcut to the default makes it the join shortcut's key: only the
  // join shortcut goes too, not the client ID and every other setting.
  await writeFile(store.file, JSON.stringify({ clientId: 'keep-me', defaultMeeting: 'next', reminderMinutes: 5, shortcut: 'Hyper+Z', joinShortcut: DEFAULT_SETTINGS.shortcut }));
  const clash = await store.load({ keepAside: false });
  assert.deepEqual(clash.settings, { ...DEFAULT_SETTINGS, clientId: 'keep-me', defaultMeeting: 'next', reminderMinutes: 5, joinShortcut: '' });
  assert.match(clash.warning ?? '', /invalid values \(shortcut, joinShortcut\)/);
});

test('reminder minutes are whole numbers from 0 (off) to 60; absent fields take the defaults', () => {
  const base = { clientId: 'abc', redirectUri: 'http://localhost:47615/oauth/callback', defaultMeeting: 'pmi', shortcut: '', launchAtLogin: false };
  const ok = validateSettingsInput(base);
  assert.ok(ok.ok);
  assert.equal(ok.value.reminderMinutes, 1);
  assert.equal(ok.value.autoStart, false);
  // Number() would read all but the first few as a number (null as 0: reminders silently off).
  for (const bad of [-1, 61, 1.5, Number.NaN, Infinity, true, null, '5', [5], '0x10', '']) {
    const checked = validateSettingsInput({ ...base, reminderMinutes: bad });
    assert.ok(!checked.ok, `${JSON.stringify(bad)} is refused`);
    assert.deepEqual(Object.keys(checked.errors), ['reminderMinutes'], JSON.stringify(bad));
  }
  const on = validateSettingsInput({ ...base, reminderMinutes: 0, autoStart: true });
  assert.ok(on.ok && on.value.reminderMinutes === 0 && on.value.autoStart === true);
  assert.ok(!validateSettingsInput({ ...base, autoStart: 'yes' }).ok);
});

test('a settings file whose reminder minutes are not a whole number keeps the default, and the warning names the field', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-settings-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = new SettingsStore(path.join(dir, 'settings.json'));
  for (const reminderMinutes of [null, '5', [5], '0x10']) {
    await writeFile(store.file, JSON.stringify({ clientId: 'keep-me', reminderMinutes }));
    const loaded = await store.load({ keepAside: false });
    assert.deepEqual(loaded.settings, { ...DEFAULT_SETTINGS, clientId: 'keep-me' }, JSON.stringify(reminderMinutes));
    assert.match(loaded.warning ?? '', /invalid values \(reminderMinutes\), which were reset/, JSON.stringify(reminderMinutes));
  }
});

test('the join-from-clipboard shortcut: none unless set (older files have none), checked like the other, and never the same key', () => {
  const base = { clientId: 'abc', redirectUri: 'http://localhost:47615/oauth/callback', defaultMeeting: 'pmi', shortcut: 'ctrl+alt+z', launchAtLogin: false };
  const older = validateSettingsInput(base);
  assert.ok(older.ok && older.value.joinShortcut === '');
  const set = validateSettingsInput({ ...base, joinShortcut: ' ctrl+alt+j ' });
  assert.ok(set.ok && set.value.joinShortcut === 'Control+Alt+J');
  const bare = validateSettingsInput({ ...base, joinShortcut: 'J' });
  assert.ok(!bare.ok && bare.errors.joinShortcut && !bare.errors.shortcut);
  const same = validateSettingsInput({ ...base, joinShortcut: 'Control+Alt+Z' });
  assert.ok(!same.ok);
  assert.equal(same.errors.joinShortcut, 'This shortcut already starts your default meeting: choose another.');
  assert.ok(validateSettingsInput({ ...base, shortcut: '', joinShortcut: '' }).ok, 'two empty shortcuts are not the same key');
  const spelled = validateSettingsInput({ ...base, shortcut: 'CommandOrControl+Alt+Z', joinShortcut: 'Ctrl+Alt+Z' });
  assert.ok(!spelled.ok && spelled.errors.joinShortcut, 'Control is CommandOrControl on Windows and Linux: the same key');
  assert.ok(!validateSettingsInput({ ...base, shortcut: 'Command+Alt+Z', joinShortcut: 'CmdOrCtrl+Alt+Z' }).ok, 'and Command on macOS');
  assert.ok(validateSettingsInput({ ...base, shortcut: 'CommandOrControl+Alt+Z', joinShortcut: 'CommandOrControl+Shift+Z' }).ok);
  assert.ok(!validateSettingsInput({ ...base, joinShortcut: 5 }).ok);
});

// Found by test/fuzz/settings.test.ts (seed 17): a redirect URI of 561 × "x" came back whole in its
// field's message, and a shortcut's unknown key too (5 MB in, 5 MB out).
test('a refused redirect URI or shortcut is quoted to an excerpt, not whole', () => {
  const checked = validateSettingsInput({ ...DEFAULT_SETTINGS, redirectUri: 'x'.repeat(561), shortcut: `Alt+${'y'.repeat(1000)}`, joinShortcut: `${'z'.repeat(1000)}+Q` });
  assert.ok(!checked.ok);
  assert.equal(checked.errors.redirectUri, `The redirect URI is not a valid URL: "${'x'.repeat(80)}…".`);
  assert.equal(checked.errors.shortcut, `"${'y'.repeat(40)}…" is not a key Electron can register.`);
  assert.equal(checked.errors.joinShortcut, `"${'z'.repeat(40)}…" is not a modifier (use CommandOrControl, Alt, Shift, Super).`);
});
