import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

// `npm test` prints what the tests say and nothing else, and leaves nothing in the temp folder:
// scripts/run-tests.mjs gives the tests a temp folder of their own and names what they leave there,
// the private D-Bus of with-keyring.sh logs to syslog, and the one experimental warning of node's
// mock timers is dropped (test/harness/quiet-mock-timers.ts).

const ROOT = path.resolve(__dirname, '../..');

let tmp: string;
before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-test-run-'));
});
after(() => rm(tmp, { recursive: true, force: true }));

/**
 * Runs a command as a shell would, outside this test run: node's runner marks its children with
 * NODE_TEST_CONTEXT, and with-keyring.sh its session with ZOOM_TRAY_IN_KEYRING.
 */
function run(command: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT' && k !== 'ZOOM_TRAY_IN_KEYRING'));
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** A test file that notes its temp folder in `record`, then makes `leaves` there and keeps them. */
async function testFile(name: string, leaves: readonly string[]): Promise<{ file: string; record: string }> {
  const record = path.join(tmp, `${name}.tmpdir`);
  const file = path.join(tmp, `${name}.test.mjs`);
  await writeFile(
    file,
    `import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
test('${name}', () => {
  writeFileSync(${JSON.stringify(record)}, os.tmpdir());
  for (const leave of ${JSON.stringify(leaves)}) leave.endsWith('-') ? mkdtempSync(path.join(os.tmpdir(), leave)) : mkdirSync(path.join(os.tmpdir(), leave));
});
`,
  );
  return { file, record };
}

test('run-tests gives the tests a temp folder of their own and removes it', async () => {
  const { file, record } = await testFile('clean', []);
  const result = await run(process.execPath, ['scripts/run-tests.mjs', file]);
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /run-tests:/);
  const used = readFileSync(record, 'utf8');
  assert.notEqual(used, os.tmpdir());
  assert.match(path.basename(used), /^zoom-tray-tests-/);
  assert.ok(!existsSync(used), `${used} removed`);
});

test('what a test leaves in the temp folder fails the run, named by kind, and is removed all the same', async () => {
  const { file, record } = await testFile('leaky', ['zoom-tray-leak-', 'zoom-tray-leak-', 'zoom-tray-0']);
  const result = await run(process.execPath, ['scripts/run-tests.mjs', file]);
  assert.equal(result.code, 1);
  assert.match(result.stdout, /ℹ pass 1/, 'the test itself passed');
  assert.equal(
    result.stderr.trim().split('\n').at(-1),
    'run-tests: the tests left zoom-tray-0, zoom-tray-leak-* (2) in their temp folder (removed now): a test removes what it makes in its after hook.',
  );
  assert.ok(!existsSync(readFileSync(record, 'utf8')));
});

test('the private keyring session prints nothing of its own: no D-Bus daemon log (as root: "Failed to set fd limit")', { skip: process.platform === 'linux' ? false : 'with-keyring.sh makes a private session on Linux only' }, async () => {
  const result = await run('bash', ['test/harness/with-keyring.sh', 'bash', '-c', 'dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetId >/dev/null && echo reached']);
  assert.deepEqual(result, { code: 0, stdout: 'reached\n', stderr: '' });
});

test("node's MockTimers warning is dropped, every other warning still printed", async () => {
  const script = `
    require(${JSON.stringify(path.join(ROOT, 'test/harness/quiet-mock-timers.ts'))});
    const { mock } = require('node:test');
    mock.timers.enable({ apis: ['setTimeout'] });
    mock.timers.reset();
    process.emitWarning('Another feature is an experimental feature and might change at any time', 'ExperimentalWarning');
    process.emitWarning('something the project should hear');
  `;
  const result = await run(process.execPath, ['--import', 'tsx', '-e', script]);
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /MockTimers/);
  assert.match(result.stderr, /ExperimentalWarning: Another feature is an experimental feature/);
  assert.match(result.stderr, /Warning: something the project should hear/);
});

test('every test file that uses mock timers imports quiet-mock-timers first', async () => {
  // This file's own check above says mock timers in a script of its own.
  const files = (await readdir(path.join(ROOT, 'test'), { recursive: true })).filter((f) => f.endsWith('.test.ts') && path.basename(f) !== path.basename(__filename));
  const users = [];
  for (const f of files) {
    const text = await readFile(path.join(ROOT, 'test', f), 'utf8');
    if (/\bmock\.timers\./.test(text)) users.push({ f, first: text.split('\n')[0] });
  }
  assert.ok(users.length > 0);
  for (const { f, first } of users) assert.equal(first, "import '../harness/quiet-mock-timers';", f);
});
