// `npm run dist`'s check before it builds. electron-builder downloads Electron's zip (then its
// packaging tools, from the same host by default) and, with no network, fails after about 45 s
// with a stack trace and an empty release/. When that zip is not in the cache electron-builder
// reads and the download host does not answer within 5 s, this says so in one line instead.
// (A cached zip with tools not yet cached still meets electron-builder's own error offline.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const { version } = JSON.parse(readFileSync(new URL('../node_modules/electron/package.json', import.meta.url), 'utf8'));
const zip = `electron-v${version}-${process.platform}-${process.arch}.zip`;

/** @electron/get's cache (env-paths "electron"): one folder per download URL, named by its hash. */
function cacheRoot() {
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'electron');
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'electron');
}

function cached() {
  const root = cacheRoot();
  if (!existsSync(root)) return false;
  return readdirSync(root, { withFileTypes: true }).some((d) => d.isDirectory() && existsSync(path.join(root, d.name, zip)));
}

/** Where @electron/get downloads from: its mirror settings, in the order it reads them, else GitHub. */
function downloadUrl() {
  const env = process.env;
  return new URL(env.npm_config_electron_mirror || env.NPM_CONFIG_ELECTRON_MIRROR || env.npm_package_config_electron_mirror || env.ELECTRON_MIRROR || 'https://github.com/electron/electron/releases/download/');
}

/** undefined when a TCP connection opens within 5 s, else why not (ENOTFOUND, ECONNREFUSED, a timeout…). */
function unreachable(url) {
  const port = Number(url.port) || (url.protocol === 'http:' ? 80 : 443);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port });
    const done = (why) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done('no answer in 5 s'), 5_000);
    socket.once('connect', () => done(undefined));
    socket.once('error', (err) => done(err.code || err.message));
  });
}

// Through a proxy the host may be out of direct reach and the download still work: no guess then.
const proxied = ['HTTPS_PROXY', 'https_proxy', 'ELECTRON_GET_USE_PROXY', 'GLOBAL_AGENT_HTTPS_PROXY'].some((name) => process.env[name]);
if (!proxied && !cached()) {
  const url = downloadUrl();
  const why = await unreachable(url);
  if (why) {
    console.error(
      `zoom-tray: npm run dist downloads Electron ${version} and electron-builder's packaging tools from ${url.host}, which cannot be reached (${why}): run it with network access (CI builds the installers for each release).`,
    );
    process.exit(1);
  }
}
// A lookup still pending after a timeout would hold the process.
process.exit(0);
