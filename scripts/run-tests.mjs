// Runs every test/**/*.test.ts with node's test runner (tsx for TypeScript), on Node >= 22.12 as
// package.json's "engines" asks (npm test checks it first: scripts/check-node.mjs).
// Closes with node's summary (tests / pass / fail / skipped).
// The tests get a temp folder of their own (TMPDIR, TEMP, TMP), removed afterwards: whatever a test
// left there is named, and fails the run, so nothing is left in the machine's temp folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : find(full);
    return e.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Caches tools keep in the temp folder under one fixed name, reused by each run: not a test's leftovers. */
const CACHES = /^(tsx-\d+|jiti|node-compile-cache)$/;

// Arguments pick files or folders (as CI does on macOS and Windows); none runs everything.
const only = process.argv.slice(2);
const files = (only.length > 0 ? only : ['test']).flatMap((p) => (statSync(p).isDirectory() ? find(p).sort() : [p]));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'zoom-tray-tests-'));
// A hung test fails after 5 minutes with its name, instead of holding CI until the job's limit
// (every test here is bounded well below that: the longest waits are the CLI's 90 s).
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=300000', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TMPDIR: tmp, TEMP: tmp, TMP: tmp },
});
// Ctrl+C reaches the runner too: it ends its tests, then the folder is cleared here.
process.on('SIGINT', () => {});
const code = await new Promise((resolve) => child.on('close', (status) => resolve(status ?? 1)));
// mkdtemp's six random characters grouped: zoom-tray-test-* (5).
const left = Object.entries(Object.groupBy(readdirSync(tmp).filter((name) => !CACHES.test(name)), (name) => name.replace(/(?<=[-.])[A-Za-z0-9]{6}$/, '*')));
rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
if (left.length > 0) {
  const named = left.sort(([a], [b]) => a.localeCompare(b)).map(([kind, names]) => (names.length > 1 ? `${kind} (${names.length})` : kind));
  console.error(`run-tests: the tests left ${named.join(', ')} in their temp folder (removed now): a test removes what it makes in its after hook.`);
  process.exit(code || 1);
}
process.exit(code);
