import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { extractAll, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { AppDriver } from '../harness/app-driver';
import { consentOverHttp, world } from '../harness/fixtures';
import type { HostSnapshot } from '../harness/host-protocol';
import { ELECTRON_DEFAULT_FUSES, PROJECT_CONFIG, type Packaged, packageApp, readProjectConfig, ROOT, standInElectron } from '../harness/package-build';

// The packaged app, as `npm run dist` would make it, minus the Electron download: electron-builder
// runs on the project's electron-builder.yml as it is (only electronDist and the output folder
// replaced) and builds the Linux `dir` target; the deb and AppImage targets are computed, not
// built (their tools are downloads). CI builds the real installers on each OS.
const skip = process.platform === 'linux' ? false : 'packages the Linux dir target, so runs on Linux';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string; desktopName: string; dependencies: Record<string, string> };
let config: Record<string, any>;
let tmp: string;
let packaged: Packaged;
/**
 * The keychain addon's binary package for this machine (glibc Linux): npm installs only the one for
 * the machine it runs on, so that is what electron-builder ships, and why CI builds each OS and
 * architecture on its own runner.
 */
const keyringPlatformPackage = `@napi-rs/keyring-linux-${process.arch}-gnu`;

before(async () => {
  if (skip) return;
  assert.ok(existsSync(path.join(ROOT, pkg.main)), `${pkg.main} is missing: run \`npm run build\` first (npm test does)`);
  config = await readProjectConfig();
  tmp = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-packaging-'));
  packaged = await packageApp({ configFile: PROJECT_CONFIG, electronDist: await standInElectron(path.join(tmp, 'electron')), output: path.join(tmp, 'release') });
});
after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('electron-builder accepts the project config, and rejects a copy with deb: under linux:', { skip }, async () => {
  assert.ok(existsSync(packaged.asar), 'the project config packaged the app');
  const broken = structuredClone(config);
  broken.linux = { ...broken.linux, deb: broken.deb };
  delete broken.deb;
  const file = path.join(tmp, 'broken-electron-builder.json');
  await writeFile(file, JSON.stringify(broken));
  await assert.rejects(
    packageApp({ configFile: file, electronDist: path.join(tmp, 'electron'), output: path.join(tmp, 'broken-release') }),
    // electron-builder's progress log is not printed on every run: a failed build carries it.
    /Invalid configuration object[\s\S]*configuration\.linux should be[\s\S]*\n\nelectron-builder's log:\n[\s\S]*loaded configuration[\s\S]*broken-electron-builder\.json/,
  );
});

test('app.asar holds dist/ without source maps, assets/, package.json and the keychain addon alone; the addon binary is unpacked', { skip }, () => {
  const entries = listPackage(packaged.asar, { isPack: false }).map((p) => p.replace(/\\/g, '/').replace(/^\//, ''));
  const files = entries.filter((p) => !('files' in statFile(packaged.asar, p, false))); // directories have `files`
  assert.deepEqual([...new Set(entries.map((p) => p.split('/')[0]))].sort(), ['assets', 'dist', 'node_modules', 'package.json']);
  assert.deepEqual(files.filter((p) => p.endsWith('.map')), [], 'no source maps');
  for (const f of ['main.js', 'undici.js', 'preload.js', 'keychain-worker.js', 'renderer/index.html', 'renderer/settings.js', 'renderer/styles.css']) {
    assert.ok(files.includes(`dist/${f}`), `dist/${f} is packaged`);
  }
  assert.deepEqual(files.filter((p) => /^dist\/(cli|npm\/)/.test(p)), [], 'the Node CLI (and its npm package) is not part of the app');
  // Every tray icon scripts/make-icons.mjs draws: a state × colour or macOS template × 1x/2x.
  const icons = ['signed-out', 'ready', 'busy', 'error'].flatMap((s) => [s, `${s}Template`]).flatMap((n) => [`${n}.png`, `${n}@2x.png`]);
  assert.deepEqual(files.filter((p) => p.startsWith('assets/')).sort(), icons.map((i) => `assets/tray/${i}`).sort());

  // Runtime packages: exactly the dependencies (the keychain addon) and the platform binary npm chose for it.
  assert.deepEqual(Object.keys(pkg.dependencies), ['@napi-rs/keyring']);
  const packages = [...new Set(files.filter((p) => p.startsWith('node_modules/')).map((p) => p.split('/').slice(1, 3).join('/')))].sort();
  assert.deepEqual(packages, ['@napi-rs/keyring', keyringPlatformPackage]);
  const addon = files.filter((p) => p.endsWith('.node'));
  assert.equal(addon.length, 1, `one native binary: ${addon.join(', ')}`);
  const binary = addon[0]!;
  assert.ok(binary.startsWith(`node_modules/${keyringPlatformPackage}/`), binary);
  assert.equal((statFile(packaged.asar, binary, false) as { unpacked?: boolean }).unpacked, true, 'the .node is marked unpacked');
  assert.ok(existsSync(path.join(packaged.asarUnpacked, binary)), 'and sits in app.asar.unpacked');
});

test('the packaged executable has the fuses of electron-builder.yml, the others at Electron defaults', { skip }, async () => {
  const executable = path.join(packaged.appOutDir, config.linux.executableName);
  const wire = await getCurrentFuseWire(executable);
  const on = '1'.charCodeAt(0);
  const off = '0'.charCodeAt(0);
  assert.equal(wire.version, '1');
  const expected: Record<number, number> = Object.fromEntries([...ELECTRON_DEFAULT_FUSES].map((c, i) => [i, c.charCodeAt(0)]));
  expected[FuseV1Options.RunAsNode] = off;
  expected[FuseV1Options.EnableNodeOptionsEnvironmentVariable] = off;
  expected[FuseV1Options.EnableNodeCliInspectArguments] = off;
  expected[FuseV1Options.OnlyLoadAppFromAsar] = on;
  expected[FuseV1Options.EnableEmbeddedAsarIntegrityValidation] = on;
  expected[FuseV1Options.EnableCookieEncryption] = on;
  for (const [index, state] of Object.entries(expected)) {
    assert.equal((wire as Record<string, unknown>)[index], state, `fuse ${FuseV1Options[Number(index)] ?? index}`);
  }
  // The config is what the assertions above stand for.
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    enableCookieEncryption: true,
    resetAdHocDarwinSignature: true,
  });
});

test('the packaged app boots under the Electron double: icons, settings page and preload found, sign-in, a start', { skip, timeout: 60_000 }, async () => {
  const appDir = path.join(tmp, 'app');
  extractAll(packaged.asar, appDir);
  await cp(packaged.asarUnpacked, appDir, { recursive: true });
  const packagedPkg = JSON.parse(await readFile(path.join(appDir, 'package.json'), 'utf8')) as { main: string; desktopName?: string };
  assert.equal(packagedPkg.desktopName, pkg.desktopName, 'Electron takes the Wayland app id from the packaged package.json');
  const inApp = (file: string): boolean => path.resolve(file).startsWith(appDir + path.sep) && existsSync(file);

  const w = await world();
  const app = AppDriver.boot({ ...w.env, ZOOM_TRAY_MAIN: path.join(appDir, packagedPkg.main) });
  try {
    const snapshot = (): Promise<HostSnapshot> => app.snapshot();
    await app.untilMenuHas('Sign in to Zoom…');
    const signedOut = (await snapshot()).tray.image;
    assert.ok(inApp(signedOut), `tray icon from the package: ${signedOut}`);

    await app.click('Sign in to Zoom…');
    const signIn = await app.until('authorize URL or a notification', async () => {
      const s = await snapshot();
      return (s.opened.length > 0 || s.notifications.length > 0) && s;
    });
    assert.deepEqual(signIn.notifications, [], 'sign-in started without complaint');
    const authorizeUrl = signIn.opened[0]!;
    await consentOverHttp(new URL(authorizeUrl));
    await app.untilMenuHas('Start my personal meeting room');
    assert.ok(await w.stored(), 'the packaged keychain addon stored the sign-in');
    const ready = await app.until('ready icon', async () => {
      const image = (await snapshot()).tray.image;
      return image !== signedOut && /ready/.test(image) && image;
    });
    assert.ok(inApp(ready), ready);

    await app.click('Start my personal meeting room');
    const start = await app.until('a start URL', async () => (await snapshot()).opened[1]);
    assert.match(start, new RegExp(`^${w.sim.origin}/s/${w.sim.user.pmi}\\?zak=`));

    await app.click('Settings…');
    const window = await app.until('settings window', async () => (await snapshot()).window);
    assert.ok(inApp(window.page), `settings page from the package: ${window.page}`);
    const preload = String(window.webPreferences.preload);
    assert.ok(inApp(preload), `preload from the package: ${preload}`);

    // Every file the app asked Electron for (all tray icons, not only the two shown above, the
    // page, the preload, the keychain process's script) was there.
    const final = await snapshot();
    assert.deepEqual(final.missingFiles, [], 'files the packaged app asked for and did not find');
    assert.ok(final.utilityProcesses > 0, 'the keychain ran as a utility process');
  } finally {
    await app.quit();
    await w.close();
  }
});

test('the installed .desktop file is named after package.json desktopName, which is appId.desktop', { skip }, () => {
  assert.equal(pkg.desktopName, `${config.appId}.desktop`);
  // As electron-builder computed them for the deb and the AppImage.
  assert.equal(packaged.debDesktop.installedAs, `/usr/share/applications/${pkg.desktopName}`);
  assert.equal(packaged.appImageDesktop.fileName, pkg.desktopName);
  for (const entry of [packaged.debDesktop.entry, packaged.appImageDesktop.entry]) {
    assert.match(entry, new RegExp(`^StartupWMClass=${config.appId.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(entry, new RegExp(`^Icon=${config.linux.executableName}$`, 'm'));
  }
  assert.match(packaged.debDesktop.entry, new RegExp(`^Exec=/opt/${config.productName}/${config.linux.executableName} %U$`, 'm'));
  // The deb installs the whole icon set under hicolor, named as the .desktop file's Icon=.
  for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
    assert.ok(
      packaged.debFiles.some((f) => f.endsWith(`build/icons/${size}x${size}.png=/usr/share/icons/hicolor/${size}x${size}/apps/${config.linux.executableName}.png`)),
      `${size}px icon installed`,
    );
  }
});

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(png: Buffer): [number, number] {
  assert.equal(png.subarray(0, 8).toString('latin1'), '\x89PNG\r\n\x1a\n', 'a PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

test('icons for every target, drawn by scripts/make-icons.mjs: Linux PNGs 16–512 px, a Windows ICO 16–256 px, a macOS icns up to 1024 px', async () => {
  const conf = config ?? (await readProjectConfig());
  const buildFile = (name: string): Buffer => readFileSync(path.join(ROOT, name));

  // Linux: the directory of NxN.png that linux.icon names.
  assert.equal(conf.linux.icon, 'build/icons');
  for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) assert.deepEqual(pngSize(buildFile(`build/icons/${size}x${size}.png`)), [size, size]);

  // Windows: ICONDIR, then 16-byte entries (width and height 0 mean 256) pointing at BMP or PNG images.
  assert.equal(conf.win.icon, 'build/icon.ico');
  const ico = buildFile('build/icon.ico');
  assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2)], [0, 1], 'an icon file');
  const icoSizes: number[] = [];
  for (let i = 0; i < ico.readUInt16LE(4); i++) {
    const entry = 6 + 16 * i;
    const size = ico[entry] || 256;
    const image = ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8));
    if (image.readUInt32BE(0) === 0x89504e47) assert.deepEqual(pngSize(image), [size, size]);
    else assert.deepEqual([image.readUInt32LE(0), image.readInt32LE(4), image.readInt32LE(8), image.readUInt16LE(14)], [40, size, 2 * size, 32], `${size}px 32-bit bitmap`);
    icoSizes.push(size);
  }
  assert.deepEqual(icoSizes, [16, 24, 32, 48, 64, 128, 256]);

  // macOS: 'icns', total length, then (type, length, PNG) elements; ic10 is 512@2x = 1024 px.
  assert.equal(conf.mac.icon, 'build/icon.icns');
  const icns = buildFile('build/icon.icns');
  assert.equal(icns.subarray(0, 4).toString('latin1'), 'icns');
  assert.equal(icns.readUInt32BE(4), icns.length);
  const icnsSizes: Record<string, number> = {};
  for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
    icnsSizes[icns.subarray(at, at + 4).toString('latin1')] = pngSize(icns.subarray(at + 8, at + icns.readUInt32BE(at + 4)))[0];
  }
  assert.deepEqual(icnsSizes, { icp4: 16, ic11: 32, icp5: 32, ic12: 64, ic07: 128, ic13: 256, ic08: 256, ic14: 512, ic09: 512, ic10: 1024 });
});
