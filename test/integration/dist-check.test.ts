import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

// scripts/dist-check.mjs, npm run dist's step before the build: with Electron's zip not in the
// cache and its download host out of reach, one line instead of electron-builder's stack trace
// 45 s later. The "host" is a loopback mirror (ELECTRON_MIRROR), listening or not.

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts', 'dist-check.mjs');
const { version: ELECTRON } = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string };
const ZIP = `electron-v${ELECTRON}-${process.platform}-${process.arch}.zip`;
const skip = process.platform === 'linux' ? false : "the cache is looked for where @electron/get keeps it on Linux (XDG_CACHE_HOME)";

let tmp: string;
let listening: http.Server;
let openMirror: string;
/** A loopback port nothing listens on: connecting is refused at once. */
let closedMirror: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-dist-check-'));
  listening = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  openMirror = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/`;
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedMirror = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
  await new Promise((resolve) => closed.close(resolve));
});
after(async () => {
  listening.close();
  await rm(tmp, { recursive: true, force: true });
});

/** Runs the check with a cache folder of its own and no mirror or proxy settings but `extra`. */
async function check(cache: string, extra: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/electron|proxy/i.test(k)));
  const child = spawn(process.execPath, [SCRIPT], { env: { ...clean, XDG_CACHE_HOME: cache, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d));
  child.stderr.on('data', (d: Buffer) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output };
}

async function emptyCache(): Promise<string> {
  return mkdtemp(path.join(tmp, 'cache-'));
}

test('no cached Electron and its host refuses: one line naming what is downloaded, from where, and why not (refused: no wait for the 5 s bound)', { skip }, async () => {
  const host = new URL(closedMirror).host;
  const result = await check(await emptyCache(), { ELECTRON_MIRROR: closedMirror });
  assert.equal(result.code, 1);
  assert.equal(
    result.output,
    `zoom-tray: npm run dist downloads Electron ${ELECTRON} and electron-builder's packaging tools from ${host}, which cannot be reached (ECONNREFUSED): run it with network access (CI builds the installers for each release).\n`,
  );
});

test('no cached Electron, its host answers: the build goes on, nothing said', { skip }, async () => {
  assert.deepEqual(await check(await emptyCache(), { ELECTRON_MIRROR: openMirror }), { code: 0, output: '' });
  // The mirror as npm passes it from .npmrc (electron_mirror=…) counts as much.
  assert.deepEqual(await check(await emptyCache(), { npm_config_electron_mirror: openMirror, ELECTRON_MIRROR: closedMirror }), { code: 0, output: '' });
});

test("Electron's zip in @electron/get's cache: no network needed, nothing asked", { skip }, async () => {
  const cache = await emptyCache();
  // One folder per download URL (a hash of it), the zip inside, as @electron/get keeps them.
  await mkdir(path.join(cache, 'electron', 'a1b2c3'), { recursive: true });
  await writeFile(path.join(cache, 'electron', 'a1b2c3', ZIP), '');
  assert.deepEqual(await check(cache, { ELECTRON_MIRROR: closedMirror }), { code: 0, output: '' });
  // Another version's zip is not this one.
  const other = await emptyCache();
  await mkdir(path.join(other, 'electron', 'a1b2c3'), { recursive: true });
  await writeFile(path.join(other, 'electron', 'a1b2c3', ZIP.replace(ELECTRON, '1.0.0')), '');
  assert.equal((await check(other, { ELECTRON_MIRROR: closedMirror })).code, 1);
});

test('behind a proxy the host is not judged from here: the build goes on', { skip }, async () => {
  assert.deepEqual(await check(await emptyCache(), { ELECTRON_MIRROR: closedMirror, HTTPS_PROXY: openMirror }), { code: 0, output: '' });
});

test('npm run dist runs the check after the Node check and before the build', () => {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(scripts.dist, 'node scripts/check-node.mjs && node scripts/dist-check.mjs && npm run build && electron-builder');
});
