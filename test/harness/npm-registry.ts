/**
 * A package registry on loopback serving only the packages it is handed, so that a test can run
 * `npm install -g zoom-tray` as a user would, dependencies resolved from package.json as npm does,
 * with no network. Packages are packed with `npm pack` from folders (the built dist/npm, the
 * installed keychain addon); npm asks for their metadata ("packuments", one per name) and then for
 * the tarballs. Any other name answers 404, which npm takes as "not published": fine for the addon's
 * binaries for other platforms (optional dependencies), fatal for anything required.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface Packed {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly integrity: string;
  readonly files: readonly { readonly path: string }[];
}

/** npm, as the test's shell would find it; on Windows npm is a .cmd, which only a shell runs. */
export function npm(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { ...options, shell: process.platform === 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `npm pack` of each folder into `destination`: what npm would publish from it. */
export async function pack(folders: readonly string[], destination: string): Promise<Packed[]> {
  const r = await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', destination, ...folders]);
  if (r.code !== 0) throw new Error(`npm pack failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Packed[];
}

export interface Registry {
  readonly url: string;
  /** What `npm pack` made of each folder. */
  readonly packed: readonly Packed[];
  /** The names npm asked about, in order. */
  readonly asked: readonly string[];
  close(): Promise<void>;
}

/** Serves each folder's package (packed into `tarballs`) by name, at its one version. */
export async function serveRegistry(folders: readonly string[], tarballs: string): Promise<Registry> {
  const packed = await pack(folders, tarballs);
  const manifests = await Promise.all(folders.map(async (f) => JSON.parse(await readFile(path.join(f, 'package.json'), 'utf8')) as Record<string, unknown>));
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    const wanted = decodeURIComponent(new URL(req.url ?? '/', 'http://registry').pathname.slice(1));
    const tarball = packed.find((p) => wanted === `-/${p.filename}`);
    if (tarball) {
      void readFile(path.join(tarballs, tarball.filename)).then((bytes) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes));
      return;
    }
    asked.push(wanted);
    const i = packed.findIndex((p) => p.name === wanted);
    const p = packed[i];
    if (!p) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
      return;
    }
    const dist = { tarball: `${url}-/${p.filename}`, integrity: p.integrity };
    const packument = { name: p.name, 'dist-tags': { latest: p.version }, versions: { [p.version]: { ...manifests[i], name: p.name, version: p.version, dist } } };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    packed,
    asked,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
