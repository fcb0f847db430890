import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

// The GitHub workflow cannot run here: it is checked offline against GitHub's workflow schema by
// action-validator (WebAssembly, no network), and for the facts the project relies on.
const ROOT = path.resolve(__dirname, '../..');
const WORKFLOW = path.join(ROOT, '.github', 'workflows', 'ci.yml');
const yml = readFileSync(WORKFLOW, 'utf8');

function validate(file: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs'), file], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}

/** The steps, each from its `- name:`, `- uses:` or `- run:` line to the next. */
const steps = yml.slice(yml.indexOf('steps:')).split(/\n(?=\s+- (?:name|uses|run):)/).slice(1);

/** The index of the one step that matches. */
function stepIndex(pattern: RegExp): number {
  const found = steps.flatMap((s, i) => (pattern.test(s) ? [i] : []));
  assert.equal(found.length, 1, `steps matching ${pattern}: ${found.length}`);
  return found[0]!;
}

const step = (pattern: RegExp): string => steps[stepIndex(pattern)]!;

test('ci.yml is a valid GitHub workflow (action-validator)', () => {
  const { status, output } = validate(WORKFLOW);
  assert.equal(status, 0, output);
});

test('action-validator rejects a workflow with a misspelled key, so the check above can fail', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-workflow-'));
  try {
    const broken = path.join(dir, 'ci.yml');
    await writeFile(broken, yml.replace('runs-on:', 'run-on:'));
    const { status, output } = validate(broken);
    assert.equal(status, 1);
    assert.match(output, /run-on/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('three OSes, Node 22 with the npm cache, npm ci, and every action pinned to at least a major version', () => {
  assert.match(yml, /^\s+os: \[ubuntu-latest, macos-latest, windows-latest\]$/m);
  assert.match(yml, /^\s+runs-on: \$\{\{ matrix\.os \}\}$/m);
  assert.match(step(/actions\/setup-node@/), /node-version: 22\n[\s\S]*cache: npm/);
  assert.ok(stepIndex(/^\s+- run: npm ci$/m) < stepIndex(/electron\/install\.js/));
  const uses = [...yml.matchAll(/uses: (\S+)/g)].map((m) => m[1]!);
  assert.ok(uses.length >= 3);
  for (const u of uses) assert.match(u, /@(v\d+(\.\d+)*|[0-9a-f]{40})$/, u);
});

test('tests against the real Electron: its binary fetched first, Chrome and a keyring on every OS, the Electron test required', () => {
  assert.ok(stepIndex(/run: node node_modules\/electron\/install\.js$/m) < stepIndex(/npm test/), 'the binary comes before the tests');
  assert.match(yml, /^\s+ZOOM_TRAY_REQUIRE_ELECTRON: '1'$/m);
  assert.match(yml, /^\s+CHROMIUM_PATH: \$\{\{ matrix\.chromium \}\}$/m);
  for (const os of ['ubuntu-latest', 'macos-latest', 'windows-latest']) assert.match(yml, new RegExp(`- os: ${os}\\n\\s+chromium: \\S`), os);
  assert.match(step(/apt-get install/), /if: runner\.os == 'Linux'[\s\S]*apt-get install .*\bgnome-keyring dbus-x11 libsecret-tools xvfb\b/);
  assert.match(step(/npm test/), /xvfb-run --auto-servernum npm test/);
  assert.match(step(/npm test/), /node scripts\/run-tests\.mjs test\/unit test\/e2e/, 'macOS and Windows run the unit tests and the real-Electron test');
  // npm test runs `bash test/harness/with-keyring.sh`: Git's bash on Windows, not WSL's.
  assert.match(yml, /defaults:\n\s+run:\n(\s+#.*\n)*\s+shell: bash/);
});

test('installers built with --publish never and uploaded, for each OS', () => {
  assert.match(step(/electron-builder/), /run: npm run build && npx electron-builder --publish never/);
  assert.ok(stepIndex(/npm test/) < stepIndex(/electron-builder/), 'installers only after the tests pass');
  assert.ok(stepIndex(/electron-builder/) < stepIndex(/actions\/upload-artifact@/));
  const upload = step(/actions\/upload-artifact@/);
  for (const ext of ['dmg', 'zip', 'exe', 'AppImage', 'deb', 'yml', 'blockmap']) assert.match(upload, new RegExp(`^\\s+release/\\*\\.${ext}$`, 'm'), ext);
  assert.match(upload, /name: installers-\$\{\{ runner\.os \}\}/);
  assert.match(upload, /if-no-files-found: error/);
});
