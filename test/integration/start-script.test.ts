import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');
const { version: ELECTRON } = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
const POSIX_ONLY = { skip: process.platform === 'win32' ? 'the stand-in Electron is a shell script' : false };

let tmp: string;
/** A copy of the app with the electron package as npm installs it, before any download. */
let app: string;
/** A loopback "Electron mirror" that has nothing: every download is a fast 404, and is counted. */
let mirror: http.Server;
let mirrorUrl: string;
const downloads: string[] = [];

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-start-'));
  app = path.join(tmp, 'app');
  const electron = path.join(app, 'node_modules', 'electron');
  await mkdir(path.join(app, 'scripts'), { recursive: true });
  await mkdir(electron, { recursive: true });
  await copyFile(path.join(ROOT, 'scripts', 'start.mjs'), path.join(app, 'scripts', 'start.mjs'));
  for (const f of ['package.json', 'install.js', 'checksums.json']) await copyFile(path.join(ROOT, 'node_modules', 'electron', f), path.join(electron, f));
  // The installer's own dependencies, from the real install (junctions need no privilege on Windows).
  for (const scope of ['@electron', '@electron-internal']) await symlink(path.join(ROOT, 'node_modules', scope), path.join(app, 'node_modules', scope), 'junction');
  mirror = http.createServer((req, res) => {
    downloads.push(req.url ?? '');
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
});
after(async () => {
  mirror.close();
  await rm(tmp, { recursive: true, force: true });
});

/** The environment without any Electron download or location settings of the machine or npm. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(electron_|npm_config_electron_|npm_package_config_electron_)/i.test(k)));
  return { ...clean, ELECTRON_MIRROR: mirrorUrl, electron_config_cache: path.join(tmp, 'cache'), ...extra };
}

function start(extra: Record<string, string>, args: string[] = []): ChildProcess {
  return spawn(process.execPath, [path.join(app, 'scripts', 'start.mjs'), ...args], { env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
}

async function finished(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d));
  child.stderr?.on('data', (d: Buffer) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output };
}

/** A stand-in Electron build: records its arguments, then exits with STANDIN_EXIT or, on SIGTERM, 0. */
async function standIn(): Promise<{ dist: string; record: string }> {
  const dist = await mkdtemp(path.join(tmp, 'dist-'));
  const record = path.join(dist, 'record.txt');
  const script = `#!/bin/sh
trap 'kill $pid 2>/dev/null; echo SIGTERM >> "${record}"; exit 0' TERM
printf '%s\\n' "$@" > "${record}.new" && mv "${record}.new" "${record}"
if [ -n "$STANDIN_WAIT" ]; then sleep 10 >/dev/null 2>&1 & pid=$!; wait $pid; fi
exit "\${STANDIN_EXIT:-0}"
`;
  await writeFile(path.join(dist, 'electron'), script);
  await chmod(path.join(dist, 'electron'), 0o755);
  return { dist, record };
}

test('npm start checks the Node version, builds, then runs scripts/start.mjs', async () => {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts.start, 'node scripts/check-node.mjs && npm run build && node scripts/start.mjs');
});

test('no Electron binary and the download fails: one line that names the fix, exit 1, one download tried', async () => {
  downloads.length = 0;
  const started = Date.now();
  const { code, output } = await finished(start({}));
  assert.equal(code, 1);
  assert.equal(
    output,
    `zoom-tray: Electron ${ELECTRON}'s binary is missing and could not be downloaded: run npm start once with network access, or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron ${ELECTRON} build.\n`,
  );
  assert.equal(downloads.length, 1, `downloads: ${downloads.join(', ')}`);
  assert.ok(downloads[0]!.startsWith(`/v${ELECTRON}/electron-v${ELECTRON}-`), downloads[0]);
  assert.ok(Date.now() - started < 15_000, 'fails within seconds');
});

test('ELECTRON_OVERRIDE_DIST_PATH without an Electron in it: one line naming the folder, exit 1, nothing downloaded', async () => {
  downloads.length = 0;
  const empty = await mkdtemp(path.join(tmp, 'empty-'));
  const { code, output } = await finished(start({ ELECTRON_OVERRIDE_DIST_PATH: empty }));
  assert.equal(code, 1);
  assert.equal(output, `zoom-tray: no Electron executable at ${path.join(empty, 'electron')}: point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an Electron ${ELECTRON} build.\n`);
  assert.deepEqual(downloads, []);
});

test('ELECTRON_OVERRIDE_DIST_PATH: runs that Electron on the app folder with the extra arguments, exit code passed on', POSIX_ONLY, async () => {
  const { dist, record } = await standIn();
  const ok = await finished(start({ ELECTRON_OVERRIDE_DIST_PATH: dist }, ['--trace-warnings']));
  assert.equal(ok.code, 0, ok.output);
  assert.equal(ok.output, '');
  assert.deepEqual((await readFile(record, 'utf8')).split('\n'), [app, '--trace-warnings', '']);
  const failed = await finished(start({ ELECTRON_OVERRIDE_DIST_PATH: dist, STANDIN_EXIT: '7' }));
  assert.equal(failed.code, 7);
});

test('SIGTERM to npm start reaches Electron, and Electron decides the exit code', POSIX_ONLY, async () => {
  const { dist, record } = await standIn();
  const child = start({ ELECTRON_OVERRIDE_DIST_PATH: dist, STANDIN_WAIT: '1' });
  const done = finished(child);
  for (let i = 0; i < 100 && !(await readFile(record, 'utf8').catch(() => '')); i++) await sleep(50);
  child.kill('SIGTERM');
  const { code, output } = await done;
  assert.equal(code, 0, output);
  assert.match(await readFile(record, 'utf8'), /^SIGTERM$/m);
});
