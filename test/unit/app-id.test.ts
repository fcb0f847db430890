import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { APP_ID } from '../../main/platform/app-id';

const ROOT = path.resolve(__dirname, '../..');

test("one app id everywhere: the app's own, electron-builder's appId, package.json's desktopName", () => {
  const builder = readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { desktopName?: string };
  assert.equal(/^appId: (\S+)$/m.exec(builder)?.[1], APP_ID);
  assert.equal(pkg.desktopName, `${APP_ID}.desktop`);
  assert.match(APP_ID, /^[a-z][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){2,}$/, 'a reverse-DNS id valid as a D-Bus name (no dashes)');
});
