import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
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

/** The steps of the test-and-package job, each from its `- name:`, `- uses:` or `- run:` line to the next. */
const testJob = yml.slice(yml.indexOf('\n  test-and-package:'), yml.indexOf('\n  release:'));
const steps = testJob.slice(testJob.indexOf('steps:')).split(/\n(?=\s+- (?:name|uses|run):)/).slice(1);

// js-yaml comes with electron-builder, which reads its own config with it.
const yaml = createRequire(path.join(ROOT, 'package.json'))('js-yaml') as { load(text: string): unknown };
interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}
interface Job {
  readonly needs?: string;
  readonly if?: string;
  readonly permissions?: Record<string, string>;
  readonly steps: Step[];
}
const workflow = yaml.load(yml) as { on: { push: { branches: string[]; tags?: string[] } }; permissions: Record<string, string>; jobs: Record<string, Job> };
const release = workflow.jobs.release;
const releaseStep = (name: string): Step => {
  const found = release?.steps.find((s) => s.name === name);
  assert.ok(found, `the release job has a step "${name}"`);
  return found;
};

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
  assert.match(step(/npm test/), /node scripts\/run-tests\.mjs test\/unit test\/fuzz test\/e2e/, 'macOS and Windows run the unit tests, the fuzzers and the real-Electron test');
  // npm test runs `bash test/harness/with-keyring.sh`: Git's bash on Windows, not WSL's.
  assert.match(yml, /defaults:\n\s+run:\n(\s+#.*\n)*\s+shell: bash/);
});

test('installers built with --publish never and uploaded, for each OS', () => {
  assert.match(step(/electron-builder/), /run: npm run build && npx electron-builder --publish never/);
  assert.ok(stepIndex(/npm test/) < stepIndex(/electron-builder/), 'installers only after the tests pass');
  assert.ok(stepIndex(/electron-builder/) < stepIndex(/actions\/upload-artifact@/));
  const upload = step(/actions\/upload-artifact@/);
  for (const ext of ['dmg', 'zip', 'exe', 'AppImage', 'deb', 'blockmap']) assert.match(upload, new RegExp(`^\\s+release/\\*\\.${ext}$`, 'm'), ext);
  assert.match(upload, /^\s+release\/latest\*\.yml$/m, "electron-updater's metadata, and no other yml");
  assert.match(upload, /name: installers-\$\{\{ runner\.os \}\}/);
  assert.match(upload, /if-no-files-found: error/);
});

test('a version tag runs the workflow; only the release job may write, only on a tag, only after every OS passed', () => {
  assert.deepEqual(workflow.on.push, { branches: ['main'], tags: ['v*'] });
  assert.deepEqual(workflow.permissions, { contents: 'read' });
  assert.ok(release, 'a release job');
  assert.deepEqual(release.permissions, { contents: 'write' });
  // The npm job reads the repository and asks for an OIDC token (npm's provenance), nothing more.
  assert.deepEqual(workflow.jobs.npm?.permissions, { contents: 'read', 'id-token': 'write' });
  for (const [name, job] of Object.entries(workflow.jobs)) if (name !== 'release' && name !== 'npm') assert.equal(job.permissions, undefined, `${name} keeps the workflow's read-only token`);
  assert.equal(release.needs, 'test-and-package');
  assert.equal(release.if, "startsWith(github.ref, 'refs/tags/v')");
});

test("the release job drafts a Release of every OS's installers and electron-updater's metadata", () => {
  const names = release?.steps.map((s) => s.name ?? s.uses);
  assert.deepEqual(names, ['actions/checkout@v4', 'The tag is the version', 'actions/download-artifact@v4', 'Draft release with the installers and the update metadata']);
  assert.deepEqual(release?.steps[2]?.with, { pattern: 'installers-*', path: 'release', 'merge-multiple': true });
  const draft = releaseStep('Draft release with the installers and the update metadata');
  assert.equal(draft.env?.GH_TOKEN, '${{ github.token }}');
  assert.match(draft.run ?? '', /^gh release create "\$GITHUB_REF_NAME" --draft --verify-tag .* release\/\*$/m);
});

const posix = process.platform === 'win32' ? 'runs the steps in bash with a stand-in gh' : false;

/** Runs a release step's script with bash in `cwd`, a stand-in `gh` that records its arguments first on PATH. */
async function runStep(step: Step, cwd: string, env: Record<string, string>): Promise<{ status: number | null; output: string; gh: string }> {
  const bin = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-gh-'));
  try {
    await writeFile(path.join(bin, 'gh'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_ARGS"\n', { mode: 0o755 });
    const ghArgs = path.join(bin, 'gh-args');
    const r = spawnSync('bash', ['-e', '-c', step.run ?? ''], {
      cwd,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, ...env, GH_ARGS: ghArgs, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    });
    const gh = await readFile(ghArgs, 'utf8').catch(() => '');
    return { status: r.status, output: r.stdout + r.stderr, gh };
  } finally {
    await rm(bin, { recursive: true, force: true });
  }
}

test("the release job refuses a tag that is not package.json's version", { skip: posix }, async () => {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const check = releaseStep('The tag is the version');
  assert.equal((await runStep(check, ROOT, { GITHUB_REF_NAME: `v${version}` })).status, 0);
  const wrong = await runStep(check, ROOT, { GITHUB_REF_NAME: 'v99.0.0' });
  assert.equal(wrong.status, 1);
  assert.match(wrong.output, new RegExp(`::error::tag v99\\.0\\.0 is not v${version.replaceAll('.', '\\.')}`));
});

test('the release job uploads only when all three update metadata files came, and then every file as a draft', { skip: posix }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-release-'));
  try {
    const draft = releaseStep('Draft release with the installers and the update metadata');
    await mkdir(path.join(dir, 'release'));
    const files = ['latest.yml', 'latest-linux.yml', 'zoom-tray-0.1.0-x86_64.AppImage', 'zoom-tray-Setup-0.1.0.exe', 'zoom-tray-Setup-0.1.0.exe.blockmap'];
    for (const f of files) await writeFile(path.join(dir, 'release', f), f);
    const missing = await runStep(draft, dir, { GITHUB_REF_NAME: 'v0.1.0' });
    assert.equal(missing.status, 1);
    assert.match(missing.output, /::error::release\/latest-mac\.yml is missing/);
    assert.equal(missing.gh, '', 'nothing uploaded');

    await writeFile(path.join(dir, 'release', 'latest-mac.yml'), 'mac');
    const made = await runStep(draft, dir, { GITHUB_REF_NAME: 'v0.1.0' });
    assert.equal(made.status, 0, made.output);
    const args = made.gh.trim().split('\n');
    assert.deepEqual(args.slice(0, 4), ['release', 'create', 'v0.1.0', '--draft']);
    assert.deepEqual(args.filter((a) => a.startsWith('release/')).sort(), [...files, 'latest-mac.yml'].map((f) => `release/${f}`).sort());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('on a tag, after every OS passed, the npm job builds and publishes dist/npm with provenance, refusing a tag that is not its version', { skip: posix }, async () => {
  const npm = workflow.jobs.npm;
  assert.ok(npm, 'an npm job');
  assert.equal(npm.needs, 'test-and-package');
  assert.equal(npm.if, "startsWith(github.ref, 'refs/tags/v')");
  const names = npm.steps.map((s) => s.name ?? s.uses ?? s.run);
  assert.deepEqual(names, ['actions/checkout@v4', 'actions/setup-node@v4', 'npm ci --no-audit --no-fund && npm run build', 'The tag is the version', 'Publish the CLI']);
  assert.equal(npm.steps[1]?.with?.['registry-url'], 'https://registry.npmjs.org');
  const publish = npm.steps.find((s) => s.name === 'Publish the CLI');
  assert.equal(publish?.run, 'npm publish ./dist/npm --provenance --access public');
  assert.equal(publish?.env?.NODE_AUTH_TOKEN, '${{ secrets.NPM_TOKEN }}');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-npm-'));
  try {
    await mkdir(path.join(dir, 'dist', 'npm'), { recursive: true });
    await writeFile(path.join(dir, 'dist', 'npm', 'package.json'), JSON.stringify({ version: '1.2.3' }));
    const check = npm.steps.find((s) => s.name === 'The tag is the version');
    assert.ok(check);
    assert.equal((await runStep(check, dir, { GITHUB_REF_NAME: 'v1.2.3' })).status, 0);
    const wrong = await runStep(check, dir, { GITHUB_REF_NAME: 'v1.2.4' });
    assert.equal(wrong.status, 1);
    assert.match(wrong.output, /::error::tag v1\.2\.4 is not v1\.2\.3/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("electron-builder.yml publishes to this repository's GitHub Releases, as drafts", () => {
  const config = yaml.load(readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as { publish: Record<string, string> };
  const { homepage } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { homepage: string };
  assert.deepEqual(config.publish, { provider: 'github', owner: 'zoom-tray', repo: 'zoom-tray', releaseType: 'draft' });
  assert.equal(homepage, `https://github.com/${config.publish.owner}/${config.publish.repo}`);
});
