import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';

const DIST = path.resolve(__dirname, '../../dist');

test("every package bundled into dist/ has its licence in dist/THIRD-PARTY-NOTICES.txt (the installers ship dist/)", async () => {
  const notices = await readFile(path.join(DIST, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
  const maps = ['cli-commands.js.map', 'main.js.map', 'ics.js.map', 'undici.js.map'];
  const sources = (await Promise.all(maps.map(async (m) => (JSON.parse(await readFile(path.join(DIST, m), 'utf8')) as { sources: string[] }).sources))).flat();
  const packages = new Set(sources.flatMap((s) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s)?.[1] ?? []));
  assert.ok(packages.has('node-ical') && packages.has('undici') && packages.has('zod'), [...packages].join(' '));
  for (const name of packages) assert.match(notices, new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\S+ \\(`, 'm'), name);
  assert.match(notices, /Apache License\s+Version 2\.0/, "node-ical's Apache-2.0 text itself");
});

test('the npm package (dist/npm, the CLI alone) has the licence of every package bundled into its files', async () => {
  const notices = await readFile(path.join(DIST, 'npm/THIRD-PARTY-NOTICES.txt'), 'utf8');
  const maps = ['cli.js.map', 'cli-commands.js.map', 'ics.js.map', 'undici.js.map', 'keychain-worker.js.map'];
  const sources = (await Promise.all(maps.map(async (m) => (JSON.parse(await readFile(path.join(DIST, m), 'utf8')) as { sources: string[] }).sources))).flat();
  const packages = new Set(sources.flatMap((s) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(s)?.[1] ?? []));
  assert.ok(packages.has('node-ical') && packages.has('undici') && packages.has('zod'), [...packages].join(' '));
  for (const name of packages) assert.match(notices, new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\S+ \\(`, 'm'), name);
  assert.doesNotMatch(notices, /^electron-updater /m, "the tray's updater is not in the CLI");
});
