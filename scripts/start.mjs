// `npm start`: runs the app (this folder) in Electron. The electron package fetches its binary on
// first use and, when it cannot, dies with a stack trace; this finds the binary the same way, tries
// that fetch once, quietly, and otherwise says in one line what is missing and how to get it.
// Usage: node scripts/start.mjs [ELECTRON ARGS…]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = path.join(root, 'node_modules', 'electron');
const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;

/** The executable node_modules/electron/index.js would run (whether or not it exists). */
function electronPath() {
  const pathFile = path.join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : '';
  if (override) return path.join(override, relative || 'electron');
  // Before the first download there is no path.txt; install.js writes it with the binary.
  return relative ? path.join(pkg, 'dist', relative) : undefined;
}

function fail(message) {
  console.error(`zoom-tray: ${message}`);
  process.exit(1);
}

let binary = electronPath();
if (!binary || !existsSync(binary)) {
  const { version } = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'));
  // An override names a build the user made or unpacked: downloading would not put anything there.
  if (override) fail(`no Electron executable at ${binary}: point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an Electron ${version} build.`);
  // The electron package's own installer (download, checksum, unzip); bounded so a stalled
  // network ends in the message below rather than a silent hang. ~100 MB takes well under this.
  spawnSync(process.execPath, [path.join(pkg, 'install.js')], { stdio: 'ignore', timeout: 300_000 });
  binary = electronPath();
  if (!binary || !existsSync(binary)) {
    fail(`Electron ${version}'s binary is missing and could not be downloaded: run npm start once with network access, or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron ${version} build.`);
  }
}

const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl+C or a kill meant for `npm start` is meant for the app: pass it on and let the app decide.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => fail(`could not start Electron (${binary}): ${err.message}`));
child.on('exit', (code, signal) => process.exit(code ?? 128 + constants.signals[signal]));
