import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canCheckManually,
  CHECK_EVERY_MS,
  checkDelay,
  checkDue,
  classifyUpdateError,
  type InstallFacts,
  initialUpdateState,
  nextCheckAt,
  nextUpdateState,
  RETRY_AFTER_FAILURE_MS,
  START_DELAY_MS,
  type UpdateEvent,
  updateMenuItems,
  type UpdateState,
  updateSupport,
} from '../../main/updates/update-policy';
import { appImageInstall, HOUR, T0 } from './updates-fixtures';

const packaged = appImageInstall;

const fresh = (): UpdateState => initialUpdateState({ supported: true, kind: 'appimage' }, '0.1.0', T0);

/** Applies events in order, each at its time; collects the notes. */
function run(state: UpdateState, ...steps: [UpdateEvent, number][]): { state: UpdateState; notes: { title: string; body: string }[] } {
  const notes: { title: string; body: string }[] = [];
  for (const [event, at] of steps) {
    const t = nextUpdateState(state, event, at);
    state = t.state;
    if (t.note) notes.push(t.note);
  }
  return { state, notes };
}

const labels = (state: UpdateState): string[] => updateMenuItems(state).map((i) => i.label);

test('support: a development run (not packaged) never updates itself, on any platform', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    const support = updateSupport({ ...packaged, platform, isPackaged: false, nsisInstalled: true });
    assert.deepEqual(support, { supported: false, reason: 'not a packaged build' });
  }
});

test('support on Linux: an AppImage or a deb/rpm/pacman package updates, each with its updater; an unpacked folder or a Snap does not', () => {
  assert.deepEqual(updateSupport(packaged), { supported: true, kind: 'appimage' });
  assert.deepEqual(updateSupport({ ...packaged, appImage: false, linuxPackage: 'deb' }), { supported: true, kind: 'deb' });
  assert.deepEqual(updateSupport({ ...packaged, appImage: false, linuxPackage: 'rpm' }), { supported: true, kind: 'rpm' });
  assert.equal(updateSupport({ ...packaged, appImage: false }).supported, false, 'linux-unpacked');
  assert.equal(updateSupport({ ...packaged, appImage: false, linuxPackage: 'snap' }).supported, false, 'an unknown package type');
  assert.equal(updateSupport({ ...packaged, snap: true }).supported, false, 'snap');
});

test('support on Linux: an AppImage that carries package-type "deb" (leaked by the deb build) is updated as an AppImage, never with dpkg', () => {
  assert.deepEqual(updateSupport({ ...packaged, linuxPackage: 'deb' }), { supported: true, kind: 'appimage' });
});

test('support on Windows: the NSIS install updates; a portable .exe or an unpacked folder does not', () => {
  const win: InstallFacts = { ...packaged, platform: 'win32', appImage: false, nsisInstalled: true };
  assert.deepEqual(updateSupport(win), { supported: true, kind: 'nsis' });
  assert.equal(updateSupport({ ...win, portable: true }).supported, false, 'portable');
  assert.equal(updateSupport({ ...win, nsisInstalled: false }).supported, false, 'win-unpacked');
});

test('support: macOS packaged builds update; no app-update.yml (no publish config) or another OS means no updates', () => {
  assert.deepEqual(updateSupport({ ...packaged, platform: 'darwin', appImage: false }), { supported: true, kind: 'mac' });
  assert.equal(updateSupport({ ...packaged, updateConfig: false }).supported, false);
  assert.equal(updateSupport({ ...packaged, platform: 'darwin', updateConfig: false }).supported, false);
  assert.equal(updateSupport({ ...packaged, platform: 'freebsd' }).supported, false);
});

test('schedule: the first check waits a short delay after start, so start-up is not slowed', () => {
  const state = fresh();
  assert.equal(nextCheckAt(state), T0 + START_DELAY_MS);
  assert.equal(checkDue(state, T0), false);
  assert.equal(checkDue(state, T0 + START_DELAY_MS - 1), false);
  assert.equal(checkDue(state, T0 + START_DELAY_MS), true);
  assert.ok(START_DELAY_MS >= 10_000 && START_DELAY_MS <= 120_000, 'a short delay, not none and not minutes on end');
});

test('schedule: after a check, the next one is 24 h after it began', () => {
  const started = T0 + START_DELAY_MS;
  const { state } = run(fresh(), [{ type: 'check-requested', manual: false }, started], [{ type: 'not-available' }, started + 2_000]);
  assert.equal(nextCheckAt(state), started + CHECK_EVERY_MS);
  assert.equal(checkDue(state, started + CHECK_EVERY_MS - 1), false);
  assert.equal(checkDue(state, started + CHECK_EVERY_MS), true);
});

test('schedule: a failed check is retried after an hour, not a day (login items start before the network)', () => {
  const { state } = run(fresh(), [{ type: 'check-requested', manual: false }, T0], [{ type: 'failed', error: { message: 'net::ERR_INTERNET_DISCONNECTED' } }, T0 + 10]);
  assert.equal(state.status.kind, 'error');
  assert.equal(nextCheckAt(state), T0 + RETRY_AFTER_FAILURE_MS);
  assert.ok(RETRY_AFTER_FAILURE_MS < CHECK_EVERY_MS);
});

test('resume from sleep: a check is due when the last one is older than 24 h, not before', () => {
  const { state } = run(fresh(), [{ type: 'check-requested', manual: false }, T0], [{ type: 'not-available' }, T0 + 1]);
  assert.equal(checkDue(state, T0 + 8 * HOUR), false, 'a night asleep: the last check is 8 h old');
  assert.equal(checkDue(state, T0 + 30 * HOUR), true, 'a weekend asleep: the last check is 30 h old');
});

test('never a second check while one runs, while downloading, once an update waits, or when unsupported', () => {
  const checking = run(fresh(), [{ type: 'check-requested', manual: false }, T0]).state;
  const downloading = run(checking, [{ type: 'available', version: '1.2.3' }, T0 + 1]).state;
  const downloaded = run(downloading, [{ type: 'downloaded', version: '1.2.3' }, T0 + 2]).state;
  const unsupported = initialUpdateState({ supported: false, reason: 'not a packaged build' }, '0.1.0', T0);
  for (const [name, state] of Object.entries({ checking, downloading, downloaded, unsupported })) {
    assert.equal(nextCheckAt(state), undefined, `${name}: no automatic check`);
    assert.equal(checkDue(state, T0 + 100 * CHECK_EVERY_MS), false, `${name}: never due`);
    assert.equal(canCheckManually(state), false, `${name}: no manual check`);
    const again = nextUpdateState(state, { type: 'check-requested', manual: true }, T0 + 3);
    assert.equal(again.state, state, `${name}: a check request changes nothing`);
  }
});

test('checkDelay: zero when overdue, and at most a day when the wall clock was set back', () => {
  const checked = run(fresh(), [{ type: 'check-requested', manual: false }, T0], [{ type: 'not-available' }, T0]).state;
  assert.equal(checkDelay(fresh(), T0), START_DELAY_MS);
  assert.equal(checkDelay(checked, T0 + 3 * CHECK_EVERY_MS), 0);
  assert.equal(checkDelay(checked, T0 - 30 * CHECK_EVERY_MS), CHECK_EVERY_MS, 'clock set back a month');
  assert.equal(checkDelay(run(checked, [{ type: 'check-requested', manual: false }, T0]).state, T0), undefined);
});

test('an automatic check that finds an update: downloading with percent, then "Restart to update to 1.2.3", and no notification', () => {
  let state = fresh();
  assert.deepEqual(labels(state), ['Check for updates…'], 'idle: nothing but the manual check');
  ({ state } = run(state, [{ type: 'check-requested', manual: false }, T0], [{ type: 'checking' }, T0]));
  assert.deepEqual(labels(state), [], 'an automatic check is not shown');
  const { state: downloading, notes } = run(state, [{ type: 'available', version: '1.2.3' }, T0 + 1], [{ type: 'progress', percent: 42.7 }, T0 + 2]);
  assert.deepEqual(labels(downloading), ['Downloading update… 42 %']);
  assert.equal(updateMenuItems(downloading)[0]?.action, undefined, 'the progress line is information only');
  const done = run(downloading, [{ type: 'downloaded', version: '1.2.3' }, T0 + 3]);
  assert.deepEqual(updateMenuItems(done.state), [{ label: 'Restart to update to 1.2.3', action: { type: 'restart-to-update' } }]);
  assert.deepEqual([...notes, ...done.notes], [], 'automatic: the menu says it, nothing pops up');
});

test('progress: the same state comes back within a whole percent (no menu rebuild), values are clamped, junk ignored', () => {
  const downloading = run(fresh(), [{ type: 'check-requested', manual: false }, T0], [{ type: 'available', version: '1.2.3' }, T0], [{ type: 'progress', percent: 42.1 }, T0]).state;
  assert.equal(nextUpdateState(downloading, { type: 'progress', percent: 42.9 }, T0).state, downloading);
  assert.notEqual(nextUpdateState(downloading, { type: 'progress', percent: 43 }, T0).state, downloading);
  assert.deepEqual(labels(nextUpdateState(downloading, { type: 'progress', percent: 250 }, T0).state), ['Downloading update… 100 %']);
  assert.equal(nextUpdateState(downloading, { type: 'progress', percent: Number.NaN }, T0).state, downloading);
  const idle = fresh();
  assert.equal(nextUpdateState(idle, { type: 'progress', percent: 50 }, T0).state, idle, 'progress without a download is ignored');
});

test('a manual check says its outcome: up to date, ready to install, or why it failed', () => {
  const ask = (...more: [UpdateEvent, number][]) => run(fresh(), [{ type: 'check-requested', manual: true }, T0], [{ type: 'checking' }, T0], ...more);
  const asking = ask();
  assert.deepEqual(labels(asking.state), ['Checking for updates…'], 'the user asked, so the menu shows the check');
  assert.deepEqual(ask([{ type: 'not-available' }, T0 + 1]).notes, [{ title: 'zoom-tray is up to date', body: 'You have the latest version, 0.1.0.' }]);
  assert.deepEqual(ask([{ type: 'available', version: '1.2.3' }, T0 + 1], [{ type: 'downloaded', version: '1.2.3' }, T0 + 2]).notes, [
    { title: 'zoom-tray 1.2.3 is ready', body: 'Choose "Restart to update" in the zoom-tray menu to install it.' },
  ]);
  const failedCheck = ask([{ type: 'failed', error: { message: 'getaddrinfo ENOTFOUND github.com' } }, T0 + 1]);
  assert.deepEqual(failedCheck.notes.map((n) => n.title), ['Could not check for updates']);
  assert.match(failedCheck.notes[0]?.body ?? '', /internet connection/);
  const failedDownload = ask([{ type: 'available', version: '1.2.3' }, T0 + 1], [{ type: 'failed', error: { message: 'boom' } }, T0 + 2]);
  assert.deepEqual(failedDownload.notes.map((n) => n.title), ['Could not download the update']);
});

test('"checking" from electron-updater keeps who asked; a check it starts by itself counts as running and automatic', () => {
  const asked = run(fresh(), [{ type: 'check-requested', manual: true }, T0]).state;
  assert.equal(nextUpdateState(asked, { type: 'checking' }, T0 + 5).state, asked);
  const own = run(fresh(), [{ type: 'checking' }, T0 + 5]).state;
  assert.deepEqual(own.status, { kind: 'checking', manual: false });
  assert.equal(own.lastCheckAt, T0 + 5);
  assert.equal(nextCheckAt(own), undefined);
});

test('an automatic check that finds nothing new says nothing', () => {
  const { state, notes } = run(fresh(), [{ type: 'check-requested', manual: false }, T0], [{ type: 'checking' }, T0], [{ type: 'not-available' }, T0 + 1]);
  assert.deepEqual(notes, []);
  assert.deepEqual(state.status, { kind: 'idle' });
});

test('a failed automatic check is quiet: no notification, no menu line, and the manual check is offered again', () => {
  const { state, notes } = run(fresh(), [{ type: 'check-requested', manual: false }, T0], [{ type: 'failed', error: { message: 'HttpError: 404', statusCode: 404 } }, T0 + 1]);
  assert.deepEqual(notes, []);
  assert.deepEqual(updateMenuItems(state), [{ label: 'Check for updates…', action: { type: 'check-for-updates' } }]);
  assert.equal(canCheckManually(state), true);
  assert.deepEqual(state.status, { kind: 'error', message: 'No update for this system was found on GitHub.' });
});

test('error sentences: what happened in words, never the raw message (which may hold URLs)', () => {
  const sentence = (message: string, extra: { code?: string; statusCode?: number } = {}): string => classifyUpdateError({ message, ...extra }).sentence;
  assert.match(sentence('net::ERR_INTERNET_DISCONNECTED'), /GitHub could not be reached/);
  assert.match(sentence('x', { code: 'ECONNREFUSED' }), /GitHub could not be reached/);
  assert.match(sentence('403 Forbidden', { statusCode: 403 }), /limiting requests/);
  assert.match(sentence('429', { statusCode: 429 }), /limiting requests/);
  assert.match(sentence('Cannot find latest.yml', { code: 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' }), /No update for this system/);
  assert.match(sentence('No published versions on GitHub', { code: 'ERR_UPDATER_NO_PUBLISHED_VERSIONS' }), /No update for this system/);
  assert.match(sentence('sha512 checksum mismatch, expected a, got b'), /damaged/);
  assert.match(sentence('New version is not signed by the application owner', { code: 'ERR_UPDATER_INVALID_SIGNATURE' }), /not signed by the zoom-tray publisher/);
  assert.match(sentence('ENOSPC: no space left on device'), /disk space/);
  const odd = sentence('Something at https://objects.githubusercontent.com/x?X-Amz-Signature=abc went wrong');
  assert.equal(odd, 'The update check failed; the details are in the log.');
});

test('an unsigned macOS build: Squirrel refuses, updates turn off for this run, and the menu stops offering them', () => {
  const { state } = run(fresh(), [{ type: 'check-requested', manual: false }, T0], [{ type: 'failed', error: { message: 'Could not get code signature for running application' } }, T0 + 1]);
  assert.equal(state.status.kind, 'not-supported');
  assert.equal(nextCheckAt(state), undefined);
  assert.deepEqual(updateMenuItems(state), []);
});

test('electron-updater inactive (checkForUpdates answered null): not supported, and later events change nothing', () => {
  const { state } = run(fresh(), [{ type: 'check-requested', manual: false }, T0], [{ type: 'inactive', reason: 'electron-updater does not update this copy' }, T0]);
  assert.deepEqual(state.status, { kind: 'not-supported', reason: 'electron-updater does not update this copy' });
  assert.equal(nextUpdateState(state, { type: 'downloaded', version: '9.9.9' }, T0).state, state);
  assert.deepEqual(updateMenuItems(state), []);
});

test('a download error after "downloaded" (the install failed) takes the restart item away and offers a check again', () => {
  const downloaded = run(fresh(), [{ type: 'check-requested', manual: false }, T0], [{ type: 'available', version: '1.2.3' }, T0], [{ type: 'downloaded', version: '1.2.3' }, T0]).state;
  const { state } = run(downloaded, [{ type: 'failed', error: { message: 'No update filepath provided' } }, T0 + 1]);
  assert.deepEqual(labels(state), ['Check for updates…']);
});
