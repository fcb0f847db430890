import '../harness/quiet-mock-timers';
import type { Logger, UpdateCheckResult, UpdateInfo } from 'electron-updater';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, mock, test } from 'node:test';
import type { Note } from '../../main/app/notifications';
import { CHECK_EVERY_MS, type InstallFacts, START_DELAY_MS, type UpdaterKind } from '../../main/updates/update-policy';
import { appImageInstall, HOUR, T0 } from './updates-fixtures';
import { type LogLevel, Updates, type UpdaterPort } from '../../main/updates/updater';

const appImage = appImageInstall;

const info = (version: string): UpdateInfo => ({ version, files: [], path: '', sha512: '', releaseDate: '' });

/** electron-updater's AppUpdater as far as the adapter sees it; a check answers with `answer`. */
class FakeUpdater extends EventEmitter implements UpdaterPort {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  logger: Logger | null = null;
  checks = 0;
  answer: 'not-available' | 'available' | 'fail' | 'inactive' | 'pending' = 'not-available';
  constructor(private readonly calls: string[]) {
    super();
  }
  checkForUpdates(): Promise<UpdateCheckResult | null> {
    this.checks++;
    if (this.answer === 'inactive') return Promise.resolve(null);
    this.emit('checking-for-update');
    switch (this.answer) {
      case 'not-available':
        this.emit('update-not-available', info('0.1.0'));
        return Promise.resolve({ isUpdateAvailable: false, updateInfo: info('0.1.0'), versionInfo: info('0.1.0') });
      case 'available':
        this.emit('update-available', info('1.2.3'));
        return Promise.resolve({ isUpdateAvailable: true, updateInfo: info('1.2.3'), versionInfo: info('1.2.3') });
      case 'fail': {
        // electron-updater both emits 'error' and rejects.
        const err = Object.assign(new Error('getaddrinfo ENOTFOUND github.com'), { code: 'ENOTFOUND' });
        this.emit('error', err);
        return Promise.reject(err);
      }
      case 'pending':
        return new Promise(() => undefined);
    }
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.calls.push(`quitAndInstall(${isSilent}, ${isForceRunAfter})`);
  }
}

interface Rig {
  readonly updates: Updates;
  readonly fake: FakeUpdater;
  readonly calls: string[];
  readonly notes: Note[];
  readonly logs: [LogLevel, string][];
  readonly kinds: UpdaterKind[];
  changes: number;
}

function rig(facts: InstallFacts = appImage, prepareToQuit: () => void = () => undefined): Rig {
  const calls: string[] = [];
  const fake = new FakeUpdater(calls);
  const logs: [LogLevel, string][] = [];
  const r: Rig = {
    calls,
    fake,
    notes: [],
    logs,
    kinds: [],
    changes: 0,
    updates: new Updates({
      updater: (kind) => {
        r.kinds.push(kind);
        return fake;
      },
      facts,
      currentVersion: '0.1.0',
      log: (level, line) => logs.push([level, line]),
      notify: (note) => r.notes.push(note),
      prepareToQuit: () => {
        calls.push('prepareToQuit');
        prepareToQuit();
      },
      quit: () => calls.push('quit'),
    }),
  };
  r.updates.onChange(() => r.changes++);
  return r;
}

/** Lets the check's promise settle (microtasks are not mocked). */
const settle = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'setImmediate', 'Date'], now: T0 }));
afterEach(() => mock.timers.reset());

test('adapter: an unsupported copy never creates electron-updater, never checks, shows nothing and logs why', () => {
  const r = rig({ ...appImage, isPackaged: false });
  r.updates.start();
  mock.timers.tick(3 * CHECK_EVERY_MS);
  r.updates.onResume();
  r.updates.checkNow();
  assert.deepEqual(r.kinds, []);
  assert.deepEqual(r.updates.menuItems(), []);
  assert.deepEqual(r.logs, [['info', 'updater: updates are off: not a packaged build']]);
});

test('adapter: the chosen electron-updater downloads by itself, installs on any quit, and logs through the app log without URL query strings', () => {
  const r = rig();
  r.updates.start();
  mock.timers.tick(START_DELAY_MS);
  assert.deepEqual(r.kinds, ['appimage'], 'the updater the policy chose');
  assert.equal(r.fake.autoDownload, true);
  assert.equal(r.fake.autoInstallOnAppQuit, true);
  r.fake.logger?.info('Downloading update from https://objects.githubusercontent.com/a/zoom-tray-1.2.3.AppImage?X-Amz-Signature=SECRET');
  r.fake.logger?.error(new Error('HttpError: 404'));
  assert.deepEqual(r.logs[0], ['info', 'updater: Downloading update from https://objects.githubusercontent.com/a/zoom-tray-1.2.3.AppImage?[redacted]']);
  assert.equal(r.logs[1]?.[0], 'error');
  assert.match(r.logs[1]?.[1] ?? '', /^updater: Error: HttpError: 404/);
  assert.ok(r.logs.every(([, line]) => !line.includes('SECRET')));
});

test('adapter: the first check runs after the start delay, not before, then a day later', async () => {
  const r = rig();
  r.updates.start();
  mock.timers.tick(START_DELAY_MS - 1);
  assert.equal(r.fake.checks, 0, 'start-up is left alone');
  mock.timers.tick(1);
  assert.equal(r.fake.checks, 1);
  await settle();
  mock.timers.tick(CHECK_EVERY_MS - 1);
  assert.equal(r.fake.checks, 1);
  mock.timers.tick(1);
  assert.equal(r.fake.checks, 2, 'daily');
  assert.deepEqual(r.kinds, ['appimage'], 'one updater for the life of the app, its listeners added once');
});

test('adapter: resume checks at once after a long sleep, not after a short one', async () => {
  const r = rig();
  r.updates.start();
  mock.timers.tick(START_DELAY_MS);
  await settle();
  assert.equal(r.fake.checks, 1);
  // Asleep: the wall clock moves on, timers do not fire.
  mock.timers.setTime(Date.now() + 8 * HOUR);
  r.updates.onResume();
  assert.equal(r.fake.checks, 1, 'the last check is 8 h old');
  mock.timers.setTime(Date.now() + 20 * HOUR);
  r.updates.onResume();
  assert.equal(r.fake.checks, 2, 'the last check is 28 h old');
});

test('adapter: events drive the menu, and the menu is re-rendered only when it changes', async () => {
  const r = rig();
  r.fake.answer = 'available';
  r.updates.start();
  mock.timers.tick(START_DELAY_MS);
  await settle();
  assert.deepEqual(r.updates.menuItems().map((i) => i.label), ['Downloading update… 0 %']);
  const before = r.changes;
  r.fake.emit('download-progress', { percent: 41.2, total: 100, delta: 1, transferred: 41, bytesPerSecond: 1 });
  r.fake.emit('download-progress', { percent: 41.8, total: 100, delta: 1, transferred: 41, bytesPerSecond: 1 });
  assert.equal(r.changes, before + 1, 'one change for 41 %');
  r.fake.emit('update-downloaded', { ...info('1.2.3'), downloadedFile: '/tmp/x' });
  assert.deepEqual(r.updates.menuItems(), [{ label: 'Restart to update to 1.2.3', action: { type: 'restart-to-update' } }]);
  assert.deepEqual(r.notes, [], 'automatic: no notification');
  mock.timers.tick(10 * CHECK_EVERY_MS);
  assert.equal(r.fake.checks, 1, 'no checks while an update waits for the restart');
});

test('adapter: a failed check is reported once (electron-updater emits and rejects), quietly, and retried later', async () => {
  const r = rig();
  r.fake.answer = 'fail';
  r.updates.start();
  mock.timers.tick(START_DELAY_MS);
  await settle();
  assert.equal(r.updates.status.kind, 'error');
  assert.deepEqual(r.notes, []);
  assert.deepEqual(r.updates.menuItems().map((i) => i.label), ['Check for updates…']);
  r.fake.answer = 'not-available';
  mock.timers.tick(HOUR);
  assert.equal(r.fake.checks, 2);
});

test('adapter: "Check for updates…" tells the outcome, and a second click while it runs starts nothing', async () => {
  const r = rig();
  r.fake.answer = 'pending';
  r.updates.checkNow();
  r.updates.checkNow();
  assert.equal(r.fake.checks, 1);
  assert.deepEqual(r.updates.menuItems().map((i) => i.label), ['Checking for updates…']);
  r.fake.emit('update-not-available', info('0.1.0'));
  assert.deepEqual(r.notes, [{ title: 'zoom-tray is up to date', body: 'You have the latest version, 0.1.0.' }]);
});

test('adapter: checkForUpdates answering null turns updates off', async () => {
  const r = rig();
  r.fake.answer = 'inactive';
  r.updates.checkNow();
  await settle();
  assert.equal(r.updates.status.kind, 'not-supported');
  assert.deepEqual(r.updates.menuItems(), []);
});

async function downloaded(r: Rig): Promise<void> {
  r.fake.answer = 'available';
  r.updates.checkNow();
  await settle();
  r.fake.emit('update-downloaded', { ...info('1.2.3'), downloadedFile: '/tmp/x' });
}

test('adapter: restart releases the app first (prepareToQuit), then quitAndInstall(silent, run after), a tick after the click', async () => {
  const r = rig();
  await downloaded(r);
  r.updates.restartToUpdate();
  assert.deepEqual(r.calls, [], 'not from inside the menu click: the tray must not be destroyed while its menu closes');
  mock.timers.tick(0);
  assert.deepEqual(r.calls, ['prepareToQuit', 'quitAndInstall(true, true)']);
  r.updates.restartToUpdate();
  mock.timers.tick(0);
  assert.equal(r.calls.length, 2, 'a second click does nothing');
  mock.timers.tick(10 * CHECK_EVERY_MS);
  assert.equal(r.fake.checks, 1, 'no timer is left to keep the app alive or start a check');
});

test('adapter: restart does nothing before an update is downloaded', async () => {
  const r = rig();
  r.updates.restartToUpdate();
  r.updates.checkNow();
  await settle();
  assert.equal(r.updates.status.kind, 'idle', 'checked: up to date');
  r.updates.restartToUpdate();
  mock.timers.tick(0);
  assert.deepEqual(r.calls, []);
});

test('adapter: after dispose no check ever runs, even when electron-updater reports afterwards', () => {
  const r = rig();
  r.fake.answer = 'pending';
  r.updates.start();
  mock.timers.tick(START_DELAY_MS);
  r.updates.dispose();
  r.fake.emit('update-not-available', info('0.1.0'));
  mock.timers.tick(3 * CHECK_EVERY_MS);
  assert.equal(r.fake.checks, 1);
});

test('adapter: a clean-up that throws still installs; an installer that fails to start is said, and the app quits', async () => {
  const r = rig(appImage, () => {
    throw new Error('tray already destroyed');
  });
  await downloaded(r);
  r.updates.restartToUpdate();
  mock.timers.tick(0);
  assert.deepEqual(r.calls, ['prepareToQuit', 'quitAndInstall(true, true)']);
  assert.ok(r.logs.some(([level, line]) => level === 'error' && line.includes('tray already destroyed')));
  r.fake.emit('error', new Error('No update filepath provided, can\'t quit and install'));
  assert.deepEqual(r.calls.slice(2), ['quit'], 'without its tray the process would linger unseen');
  assert.equal(r.notes.at(-1)?.title, 'The update could not be installed');
});
