// Bundles the main-process entries into dist/ (never build/, which electron-builder owns).
// keytar is a native addon and electron is provided at run time: both stay external.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['electron', 'keytar'],
  logLevel: 'warning',
};

await build({ ...common, entryPoints: { cli: 'main/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } });
