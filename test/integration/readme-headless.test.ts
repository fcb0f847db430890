import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type TestContext, test } from 'node:test';
import { routeBlock } from '../harness/readme';

// The README's route for a Linux shell with no desktop, run as written: the fenced blocks marked
// `<!-- headless-route: … -->` are taken from README.md itself, so an edit that breaks the route
// fails here. The simulator runs in one process (its block); a fresh D-Bus session and keyring
// run in another, typed into as a user would (the password, the `export` line the simulator
// printed, then the steps), in a folder of its own.
const ROOT = path.resolve(__dirname, '../..');
const skip = process.platform === 'linux' ? false : 'the route is for a Linux shell (dbus-run-session, gnome-keyring-daemon)';
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const LIMIT_MS = 120_000;

/** A checkout of its own: links to this one's files, so `npm run build` there writes only its own dist/. */
async function checkoutIn(dir: string): Promise<string> {
  const checkout = path.join(dir, 'checkout');
  await mkdir(checkout);
  for (const entry of await readdir(ROOT)) if (entry !== '.git') await symlink(path.join(ROOT, entry), path.join(checkout, entry));
  return checkout;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The environment of a fresh shell: no zoom-tray settings of the caller's, this Node first on PATH;
 * without the test run's keyring unless `keepKeyring`.
 */
function freshEnv(dir: string, port: number, keepKeyring = false): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ZOOM_') && k !== 'BROWSER' && (keepKeyring || !k.startsWith('DBUS_'))) env[k] = v;
  return {
    ...env,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}`,
    ...(keepKeyring ? {} : { XDG_DATA_HOME: path.join(dir, 'data'), XDG_RUNTIME_DIR: path.join(dir, 'runtime') }),
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    // The route's one departure from the README: a free port for the sign-in's redirect, so the
    // test never meets another process on 47615. The simulator and the CLI both read them.
    ZOOM_REDIRECT_URI: `http://localhost:${port}/oauth/callback`,
    ZOOM_GOV_REDIRECT_URI: `http://localhost:${port}/oauth/callback`,
  };
}

/** Resolves with stdout up to the first line matching `pattern`; rejects if the process ends first. */
function outputUntil(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').some((l) => pattern.test(l))) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`the simulator ended (${code}) before printing ${pattern}:\n${out}${err}`)));
  });
}

/** Runs `command` in bash with `typed` as its standard input, as typed into a terminal. */
function typeInto(command: string, typed: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const shell = spawn('bash', ['-c', command], { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    shell.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    shell.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => process.kill(-(shell.pid ?? 0), 'SIGKILL'), LIMIT_MS);
    shell.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    shell.stdin.end(`${typed.join('\n')}\n`);
  });
}

/** Starts the simulator with `command` (in bash), stopped when the test ends; what it printed up to its last line. */
async function startSim(t: TestContext, command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const sim = spawn('bash', ['-c', command], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const ended = new Promise((resolve) => sim.once('exit', resolve));
  t.after(async () => {
    if (sim.exitCode === null && sim.signalCode === null) process.kill(-(sim.pid ?? 0), 'SIGINT');
    await ended;
  });
  return outputUntil(sim, /^Ctrl-C stops/);
}

test("the README's route with no desktop: keychain, simulator, sign-in approved by one command, a start link", { skip, timeout: LIMIT_MS + 30_000 }, async (t) => {
  const keyring = routeBlock(README, 'keyring');
  const steps = routeBlock(README, 'steps');
  const [simCommand, ...simRest] = routeBlock(README, 'sim');
  assert.equal(simRest.length, 0, 'the simulator is one command');
  const [newShell, ...inShell] = keyring;
  assert.ok(newShell && inShell.length > 0, 'the keychain block starts a shell, then says what to type in it');

  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-readme-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, 'runtime'), { mode: 0o700 });
  const checkout = await checkoutIn(dir);
  const env = freshEnv(dir, await freePort());

  const printed = await startSim(t, simCommand ?? '', checkout, env);
  const exportLine = printed.split('\n').find((l) => /^\s*export ZOOM_CLIENT_ID=/.test(l))?.trim() ?? '';
  const origin = /ZOOM_OAUTH_URL=(\S+)/.exec(exportLine)?.[1];
  assert.ok(origin, exportLine);

  const password = 'readme-route-password';
  const run = await typeInto(newShell, [...inShell, password, exportLine, ...steps, 'exit'], checkout, env);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(run.stderr, /Signed in as Jane Doe <jane\.doe@example\.com>\./);
  assert.ok(!run.stdout.includes(password) && !run.stderr.includes(password), 'the password is not echoed');

  const startUrl = run.stdout.trim().split('\n').at(-1) ?? '';
  assert.match(startUrl, /^http:\/\/127\.0\.0\.1:\d+\/s\/5551234567\?zak=[\w.-]+$/, run.stdout);
  assert.equal(new URL(startUrl).origin, origin, "the simulator's own start page");
  const page = await fetch(startUrl);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>Meeting 5551234567 started<\/title>/);
});

test('npm run sim prints steps that work as printed: build, sign in Jane, then Sam and the ZoomGov user', { skip, timeout: LIMIT_MS + 30_000 }, async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-sim-steps-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const checkout = await checkoutIn(dir);
  // The test run's own keyring (with-keyring.sh) stands in for the recipe the simulator prints.
  const env = freshEnv(dir, await freePort(), true);
  const printed = await startSim(t, 'npm run sim -- --auto-approve', checkout, env);
  assert.match(printed, /dbus-run-session -- bash/, 'the keychain recipe for a shell with no desktop');
  assert.match(printed, /README, "Sign in without a desktop"/);
  const commands = printed
    .split('\n')
    .filter((l) => /^ {2}(npm run build|export |node dist\/cli\.js |curl )/.test(l))
    .map((l) => l.trim());
  assert.equal(commands[0], 'npm run build    # once: the CLI runs from dist/', 'the build comes first');
  assert.ok(commands.some((c) => c.startsWith('export ZOOM_CLIENT_ID=sim-client ') && c.includes('ZOOM_TRAY_KEYCHAIN_SERVICE=zoom-tray-sim')));
  const run = await typeInto('bash', [...commands, 'node dist/cli.js accounts --json', 'node dist/cli.js logout --account sam.lee@example.com', 'node dist/cli.js logout --account alex.rivera@agency.example.gov', 'node dist/cli.js logout'], checkout, env);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  for (const who of ['Jane Doe <jane.doe@example.com>', 'Sam Lee <sam.lee@example.com>', 'Alex Rivera <alex.rivera@agency.example.gov>']) assert.ok(run.stderr.includes(`Signed in as ${who}.`), who);
  const accounts = JSON.parse(run.stdout.slice(run.stdout.indexOf('\n[') + 1, run.stdout.indexOf('\n]') + 2)) as Array<{ email: string; cloud: string; default: boolean }>;
  assert.deepEqual(accounts, [
    { email: 'jane.doe@example.com', cloud: 'commercial', default: true },
    { email: 'sam.lee@example.com', cloud: 'commercial', default: false },
    { email: 'alex.rivera@agency.example.gov', cloud: 'gov', default: false },
  ]);
  assert.match(run.stdout, /^http:\/\/127\.0\.0\.1:\d+\/s\/5551234567\?zak=/m, "start --print: Jane's personal room");
});
