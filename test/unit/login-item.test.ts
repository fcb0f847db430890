import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { desktopEntry, loginItemSetter } from '../../main/platform/login-item';

test('the autostart entry quotes its command as the Desktop Entry spec asks', () => {
  const entry = desktopEntry(['/opt/Zoom Tray/zoom-tray', '/home/u/app "x"', '--flag=$HOME']);
  assert.match(entry, /^\[Desktop Entry\]\nType=Application\n/);
  assert.match(entry, /\nExec="\/opt\/Zoom Tray\/zoom-tray" "\/home\/u\/app \\"x\\"" "--flag=\\\$HOME"\n/);
  assert.match(desktopEntry(['/usr/bin/zoom-tray']), /\nExec=\/usr\/bin\/zoom-tray\n/);
});

test('Linux: launch at login writes and removes ~/.config/autostart/zoom-tray.desktop', async (t) => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-autostart-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  const dir = path.join(home, 'autostart');
  const calls: unknown[] = [];
  const set = loginItemSetter({ platform: 'linux', setLoginItemSettings: (s) => void calls.push(s), autostartDir: dir, command: ['/usr/bin/electron', '/app'] });
  await set(true);
  assert.match(await readFile(path.join(dir, 'zoom-tray.desktop'), 'utf8'), /Exec=\/usr\/bin\/electron \/app/);
  await set(false);
  assert.deepEqual(await readdir(dir), []);
  assert.deepEqual(calls, [], 'Electron login items are not used on Linux');
});

test('macOS and Windows use Electron login items', async () => {
  const calls: unknown[] = [];
  const set = loginItemSetter({ platform: 'darwin', setLoginItemSettings: (s) => void calls.push(s), autostartDir: '/nonexistent', command: [] });
  await set(true);
  await set(false);
  assert.deepEqual(calls, [{ openAtLogin: true }, { openAtLogin: false }]);
});
