// Bundles the main process, the preload, the CLI and the settings window into dist/
// (never build/, which electron-builder owns). keytar is a native addon and electron is
// provided at run time: both stay external.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['electron', 'keytar'],
  logLevel: 'warning',
};

await Promise.all([
  build({ ...node, entryPoints: { cli: 'main/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...node, entryPoints: { main: 'main/index.ts', preload: 'main/windows/preload.ts' }, outdir: 'dist' }),
  build({
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    sourcemap: true,
    logLevel: 'warning',
    entryPoints: { settings: 'renderer/settings.ts' },
    outdir: 'dist/renderer',
  }),
]);
await mkdir('dist/renderer', { recursive: true });
await Promise.all(['index.html', 'styles.css'].map((f) => copyFile(`renderer/${f}`, `dist/renderer/${f}`)));
