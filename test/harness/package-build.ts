/**
 * Packages the app offline, for test/integration/packaging.test.ts: electron-builder run in this
 * process on a config file, with a stand-in Electron in place of the download, building the Linux
 * `dir` target. The deb and AppImage targets run too, up to the point where electron-builder has
 * computed their .desktop entry and file layout (its `effectiveOptionComputed` hook, which its own
 * tests use); the hook then stops them before they would fetch fpm or appimagetool.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Writable } from 'node:stream';
import { build, log } from 'electron-builder';

export const ROOT = path.resolve(__dirname, '../..');
export const PROJECT_CONFIG = path.join(ROOT, 'electron-builder.yml');

const requireFromRoot = createRequire(path.join(ROOT, 'package.json'));

/** The project's electron-builder.yml as data (js-yaml, the parser electron-builder itself uses). */
export async function readProjectConfig(): Promise<Record<string, unknown>> {
  const yaml = requireFromRoot('js-yaml') as { load(text: string): unknown };
  return yaml.load(await readFile(PROJECT_CONFIG, 'utf8')) as Record<string, unknown>;
}

/**
 * Where @electron/fuses looks for the fuse wire: after this sentinel come the wire's version, its
 * length, then one byte per fuse ('0' off, '1' on, 'r' removed) — @electron/fuses dist/index.js.
 */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/**
 * Electron's own fuse defaults (build/fuses/fuses.json5), in wire order: runAsNode on, cookieEncryption
 * off, nodeOptions on, nodeCliInspect on, embeddedAsarIntegrityValidation off, onlyLoadAppFromAsar
 * off, loadBrowserProcessSpecificV8Snapshot off, grantFileProtocolExtraPrivileges on, and since
 * Electron 43 wasmTrapHandlers on: nine fuses.
 */
export const ELECTRON_DEFAULT_FUSES = '101100011';

/**
 * An unpacked "Electron distribution" for electron-builder's `electronDist`: the `electron`
 * executable and the `version` file. The executable is a two-line shell script followed by a fuse
 * wire at Electron's defaults, so that electron-builder's fuse flipping has something to flip and
 * the test can read the result back.
 */
export async function standInElectron(dir: string): Promise<string> {
  const version = (requireFromRoot('electron/package.json') as { version: string }).version;
  await mkdir(dir, { recursive: true });
  const executable = path.join(dir, 'electron');
  await writeFile(
    executable,
    Buffer.concat([
      Buffer.from(`#!/bin/sh\necho "a stand-in for Electron ${version}, made by the packaging test" >&2; exit 1\n`),
      Buffer.from(FUSE_SENTINEL, 'latin1'),
      Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]),
      Buffer.from(ELECTRON_DEFAULT_FUSES, 'latin1'),
      Buffer.from('\n'),
    ]),
  );
  await chmod(executable, 0o755);
  await writeFile(path.join(dir, 'version'), version);
  return dir;
}

export interface Packaged {
  /** release/linux-unpacked's counterpart: the executable (linux.executableName) and resources/. */
  readonly appOutDir: string;
  readonly asar: string;
  readonly asarUnpacked: string;
  /** The deb's file mappings (`source=/installed/path`), as electron-builder hands them to fpm. */
  readonly debFiles: readonly string[];
  /** Where the deb installs its .desktop file, and the file's text. */
  readonly debDesktop: { readonly installedAs: string; readonly entry: string };
  /** The .desktop file inside the AppImage: its name and text. */
  readonly appImageDesktop: { readonly fileName: string; readonly entry: string };
}

/**
 * Runs electron-builder with its progress log (a dozen lines a build) kept, not printed on every
 * test run: a build that fails carries it in its error. The log is electron-builder's `log`, whose
 * stream is a property of that one object (builder-util's Logger) put back afterwards.
 */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const logger = log as unknown as { stream: NodeJS.WritableStream };
  const printed = logger.stream;
  let text = '';
  logger.stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  try {
    return await run();
  } catch (err) {
    throw new Error(`${(err as Error).message}\n\nelectron-builder's log:\n${text}`, { cause: err });
  } finally {
    logger.stream = printed;
  }
}

/**
 * Runs electron-builder on `configFile` (loaded by electron-builder itself, as `npm run dist`
 * would), overriding only where Electron comes from and where the output goes.
 */
export async function packageApp(options: { configFile: string; electronDist: string; output: string }): Promise<Packaged> {
  let deb: { args: string[]; entry: string } | undefined;
  let appImage: { fileName: string; entry: string } | undefined;
  await quietly(() => build({
    projectDir: ROOT,
    linux: ['dir', 'deb', 'AppImage'],
    publish: 'never',
    // `extends` with a file path makes electron-builder read that file instead of the project's own.
    config: { extends: options.configFile, electronDist: options.electronDist, directories: { output: options.output } },
    effectiveOptionComputed: async (computed: unknown) => {
      if (Array.isArray(computed)) {
        // FpmTarget: [fpm arguments, path of the .desktop file it wrote]
        const [args, desktopFile] = computed as [string[], string];
        deb = { args, entry: await readFile(desktopFile, 'utf8') };
      } else {
        // AppImageTarget: { desktop: entry text, desktopFileName }
        const { desktop, desktopFileName } = computed as { desktop: string; desktopFileName: string };
        appImage = { fileName: desktopFileName, entry: desktop };
      }
      return true; // computed: stop here, before the packaging tool is downloaded
    },
  }));
  if (!deb || !appImage) throw new Error('electron-builder did not reach the deb and AppImage targets');
  const debFiles = deb.args.filter((a) => /^[^-].*=\//.test(a));
  const desktopMapping = debFiles.find((a) => a.includes('=/usr/share/applications/'));
  if (!desktopMapping) throw new Error(`the deb installs no .desktop file: ${JSON.stringify(debFiles)}`);
  const appOutDir = path.join(options.output, `linux${process.arch === 'x64' ? '' : `-${process.arch}`}-unpacked`);
  const resources = path.join(appOutDir, 'resources');
  return {
    appOutDir,
    asar: path.join(resources, 'app.asar'),
    asarUnpacked: path.join(resources, 'app.asar.unpacked'),
    debFiles,
    debDesktop: { installedAs: desktopMapping.slice(desktopMapping.indexOf('=') + 1), entry: deb.entry },
    appImageDesktop: appImage,
  };
}
