import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Env } from '../../main/core/config';
import { fixtureText } from '../harness/calendar-fixtures';
import { runCli, spawnCli } from '../harness/cli-process';
import { startFeedServer } from '../harness/feed-server';
import { consentOverHttp, signedOut } from '../harness/fixtures';
import { npm, type Registry, serveRegistry } from '../harness/npm-registry';

// The CLI as npm publishes it (dist/npm, made by scripts/build.mjs) installed the way the README
// says, `npm install -g zoom-tray`, into an empty prefix, from a registry on loopback that holds
// only that package and the keychain addon packed from node_modules: a file missing from the
// package or a dependency missing from its package.json fails here, not on a user's machine.

const ROOT = path.resolve(__dirname, '../..');
const PACKAGE = path.join(ROOT, 'dist/npm');
const root = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };
/** The keychain addon and the binary package npm installed for this machine. */
const addon = readdirSync(path.join(ROOT, 'node_modules/@napi-rs'))
  .filter((d) => d.startsWith('keyring'))
  .map((d) => path.join(ROOT, 'node_modules/@napi-rs', d));

/** The world's environment, with this Node first on PATH: the bin's `#!/usr/bin/env node` finds it, as a user's PATH finds theirs. */
const withNode = (env: Env): Env => ({ ...env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${env.PATH ?? ''}` });

let tmp: string;
let registry: Registry;
let installed: readonly string[];
let install: { code: number | null; stderr: string };

before(async () => {
  assert.ok(existsSync(path.join(PACKAGE, 'package.json')), 'dist/npm is missing: run `npm run build` first (npm test does)');
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-npm-'));
  await mkdir(path.join(tmp, 'tarballs'));
  registry = await serveRegistry([PACKAGE, ...addon], path.join(tmp, 'tarballs'));
  const prefix = path.join(tmp, 'prefix');
  // A user config of its own (no token, no other registry) and a cache of its own (nothing from earlier installs).
  await writeFile(path.join(tmp, 'npmrc'), '');
  const config = ['--prefix', prefix, '--cache', path.join(tmp, 'cache'), '--userconfig', path.join(tmp, 'npmrc'), '--registry', registry.url];
  install = await npm(['install', '-g', 'zoom-tray', ...config, '--no-audit', '--no-fund', '--no-update-notifier']);
  installed = process.platform === 'win32' ? [path.join(prefix, 'zoom-tray.cmd')] : [path.join(prefix, 'bin', 'zoom-tray')];
});
after(async () => {
  await registry?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('the npm package holds the CLI, its keychain process, README, LICENSE and notices, and no Electron app', () => {
  const packed = registry.packed.find((p) => p.name === root.name);
  assert.deepEqual(
    packed?.files.map((f) => f.path).sort(),
    ['LICENSE', 'README.md', 'THIRD-PARTY-NOTICES.txt', 'cli-commands.js', 'cli.js', 'ics.js', 'keychain-worker.js', 'package.json', 'undici.js'],
  );
  const manifest = JSON.parse(readFileSync(path.join(PACKAGE, 'package.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(manifest.bin, { 'zoom-tray': 'cli.js' });
  assert.deepEqual(manifest.dependencies, root.dependencies, 'the keychain addon, as the app depends on it');
  for (const field of ['main', 'devDependencies', 'scripts', 'private']) assert.equal(manifest[field], undefined, `no ${field}: the repository's package.json is the app's`);
  assert.equal(manifest.version, root.version);
});

test('npm install -g zoom-tray installs from the package and its dependency alone, nothing else from a registry', () => {
  assert.equal(install.code, 0, install.stderr);
  assert.ok(registry.asked.includes('zoom-tray') && registry.asked.includes('@napi-rs/keyring'), registry.asked.join(' '));
  const served = new Set(['zoom-tray', ...addon.map((d) => `@napi-rs/${path.basename(d)}`)]);
  // Whatever else npm asked for is one of the addon's binaries for other platforms, which it may skip.
  for (const name of registry.asked) assert.ok(served.has(name) || name.startsWith('@napi-rs/keyring-'), `npm looked for ${name}`);
});

test('the installed zoom-tray: --help, --version', async (t) => {
  const env = withNode((await signedOut(t)).env);
  const help = await runCli(['--help'], env, undefined, installed);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^zoom-tray — start your Zoom meetings from the terminal\n\nUsage:\n {2}zoom-tray login/);
  const version = await runCli(['--version'], env, undefined, installed);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout, `zoom-tray ${root.version}\n`);
});

test('the installed zoom-tray signs in and prints a start URL (its keychain process and lazy-loaded files are there)', async (t) => {
  const w = await signedOut(t);
  const env = withNode(w.env);
  const login = spawnCli(['login', '--no-open'], env, undefined, installed);
  await consentOverHttp(new URL(await login.firstLine));
  const signedIn = await login.done;
  assert.equal(signedIn.code, 0, signedIn.stderr);
  assert.equal((await w.stored())?.account, 'jane.doe@example.com', 'the sign-in is in the keychain');
  const start = await runCli(['start', '--print'], env, undefined, installed);
  assert.equal(start.code, 0, start.stderr);
  assert.match(start.stdout, new RegExp(`^${w.sim.origin}/s/${w.sim.user.pmi}\\?zak=\\S+\\n$`));
  // Reading a calendar loads the parser's bundle (dist/ics.js), which nothing else loads.
  const feeds = await startFeedServer(t);
  feeds.serve('google', fixtureText('google'));
  const added = await runCli(['calendar', 'add', feeds.address('google'), '--name', 'work'], env, undefined, installed);
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stderr, /^Added calendar "work" \(127\.0\.0\.1:\d+\): \d+ Zoom meetings/);
});
