// Bundles the main process, the preload, the CLI, the keychain process and the settings window into
// dist/ (never build/, which electron-builder owns). Everything is bundled (undici, zod, …) except
// the native keychain addon and electron, which is provided at run time; the packaged app therefore
// ships dist/ and @napi-rs/keyring alone. dist/npm/ is the CLI as npm publishes it (see the end).
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });

/** Leaves a require unbundled, pointing at `target`, a file beside it in dist/ loaded at run time. */
function external(request, target = request) {
  const filter = new RegExp(`^${request.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
  return { name: `external ${request}`, setup: (b) => b.onResolve({ filter }, () => ({ path: target, external: true })) };
}

const root = JSON.parse(await readFile('package.json', 'utf8'));
const node = {
  bundle: true,
  metafile: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  external: ['electron', '@napi-rs/keyring'],
  logLevel: 'warning',
};

const results = await Promise.all([
  // The CLI is two files: a tiny entry that starts the keychain process, then requires the rest.
  build({ ...node, entryPoints: { cli: 'main/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' }, plugins: [external('./cli-commands.js')] }),
  // undici (most of the code) is its own file, read only when a request is made: a start served
  // from the keychain's cache never pays for it.
  // The calendar parser (node-ical, temporal-polyfill: about a megabyte) likewise, read only when a
  // calendar is: main/calendars/read-feed.ts requires it by this name.
  build({ ...node, entryPoints: { 'cli-commands': 'main/cli/run.ts' }, outdir: 'dist', plugins: [external('undici', './undici.js'), external('./ics-meetings', './ics.js')] }),
  build({ ...node, entryPoints: { undici: 'node_modules/undici/index.js' }, outdir: 'dist' }),
  // node-ical's console warnings quote the feed: its bundle gets a console that keeps them for the log.
  build({ ...node, entryPoints: { ics: 'main/calendars/ics-meetings.ts' }, outdir: 'dist', inject: ['main/calendars/parser-console.ts'] }),
  build({
    ...node,
    entryPoints: { main: 'main/index.ts', preload: 'main/windows/preload.ts', 'keychain-worker': 'main/session/keychain-worker.ts' },
    outdir: 'dist',
    plugins: [external('undici', './undici.js'), external('./ics-meetings', './ics.js')],
  }),
  build({
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    sourcemap: true,
    logLevel: 'warning',
    entryPoints: { settings: 'renderer/settings.ts' },
    outdir: 'dist/renderer',
    metafile: true,
  }),
]);

// The licences of every package bundled into these outputs ship beside them (Apache-2.0 and MIT ask for it).
async function noticesFor(outputs, where) {
  const inputs = results.flatMap((r) => Object.entries(r.metafile.outputs)).flatMap(([file, out]) => (outputs(file) ? Object.keys(out.inputs) : []));
  const bundled = new Set(
    inputs.flatMap((file) => {
      const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
      return match ? [match[1]] : [];
    }),
  );
  const notices = await Promise.all(
    [...bundled].sort().map(async (name) => {
      const dir = `node_modules/${name}`;
      const { version, license } = JSON.parse(await readFile(`${dir}/package.json`, 'utf8'));
      const file = (await readdir(dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      const text = file ? await readFile(`${dir}/${file}`, 'utf8') : `(no licence file in the package; package.json says ${license})`;
      return `${name} ${version} (${license})\n\n${text.trim()}\n`;
    }),
  );
  return `zoom-tray bundles these packages into ${where}.\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`;
}
await writeFile('dist/THIRD-PARTY-NOTICES.txt', await noticesFor(() => true, 'dist/'));
await mkdir('dist/renderer', { recursive: true });
await Promise.all(['index.html', 'styles.css'].map((f) => copyFile(`renderer/${f}`, `dist/renderer/${f}`)));

// The CLI as an npm package (`npm install -g zoom-tray`): dist/npm/, its own package.json made from
// this one. Not the repository's package.json with a `files` list: that one is the Electron app's
// (`main`, electron-builder's input), its devDependencies and scripts are ours, and it stays private.
const CLI_FILES = ['cli.js', 'cli-commands.js', 'undici.js', 'ics.js', 'keychain-worker.js'];
await mkdir('dist/npm');
await Promise.all([
  ...CLI_FILES.map((f) => copyFile(`dist/${f}`, `dist/npm/${f}`)),
  copyFile('README.md', 'dist/npm/README.md'),
  copyFile('LICENSE', 'dist/npm/LICENSE'),
  writeFile('dist/npm/THIRD-PARTY-NOTICES.txt', await noticesFor((file) => CLI_FILES.includes(file.replace(/^dist\//, '')), 'this package')),
]);
const { name, version, license, author, homepage, repository, engines, dependencies } = root;
const cliPackage = {
  name,
  version,
  description: 'Start your Zoom meetings from the command line: the zoom-tray CLI (the tray app has installers of its own).',
  license,
  author,
  homepage,
  repository,
  bin: { 'zoom-tray': 'cli.js' },
  files: [...CLI_FILES, 'THIRD-PARTY-NOTICES.txt'],
  engines,
  dependencies,
};
await writeFile('dist/npm/package.json', `${JSON.stringify(cliPackage, null, 2)}\n`);
