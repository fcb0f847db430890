import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { makeDir } from '../../main/lib/files';

test('makeDir makes a private folder and its missing parents, accepts one already there, and refuses a file in the way', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-files-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const deep = path.join(dir, 'a', 'b', 'c');
  await makeDir(deep);
  assert.ok((await stat(deep)).isDirectory());
  if (process.platform !== 'win32') assert.equal((await stat(path.join(dir, 'a'))).mode & 0o777, 0o700, 'parents are private too');
  await makeDir(deep);
  await writeFile(path.join(dir, 'file'), '');
  await assert.rejects(makeDir(path.join(dir, 'file')), { code: 'EEXIST' });
  await assert.rejects(makeDir(path.join(dir, 'file', 'x', 'y')), { code: 'ENOTDIR' });
});

test('makeDir fails at once where the OS allows no folder (/proc), where a recursive mkdir never returns', { skip: process.platform !== 'linux' }, async () => {
  await assert.rejects(makeDir('/proc/nope/zoom-tray'), { code: 'ENOENT' });
});
