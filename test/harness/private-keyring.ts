import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Env } from '../../main/core/config';

const PASSWORD = 'zoom-tray-test';

function run(command: string, args: string[], env: Env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env: env as NodeJS.ProcessEnv, timeout: 10_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * A Secret Service of the test's own: a private D-Bus session and a gnome-keyring-daemon in the
 * foreground, so a test can lock it, freeze it (SIGSTOP) or restart it without touching anyone
 * else's keyring. `env` is what a process needs to reach it.
 */
export class PrivateKeyring {
  private daemon: ChildProcess | undefined;

  private constructor(
    private readonly bus: ChildProcess,
    readonly env: Env,
    private readonly scratch: string,
  ) {}

  static async start(): Promise<PrivateKeyring> {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-keyring-'));
    const runtime = path.join(scratch, 'runtime');
    await import('node:fs/promises').then((fs) => fs.mkdir(runtime, { mode: 0o700 }));
    const bus = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const address = await new Promise<string>((resolve, reject) => {
      (bus.stdout as Readable).once('data', (d: Buffer) => resolve(d.toString().trim()));
      bus.once('error', reject);
    });
    const env: Env = { PATH: process.env.PATH, HOME: process.env.HOME, DBUS_SESSION_BUS_ADDRESS: address, XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: path.join(scratch, 'data') };
    const keyring = new PrivateKeyring(bus, env, scratch);
    await keyring.startDaemon();
    return keyring;
  }

  /** Starts the daemon with the login keyring unlocked (created on first start). */
  async startDaemon(): Promise<void> {
    const daemon = spawn('gnome-keyring-daemon', ['--foreground', '--components=secrets', '--unlock'], { env: this.env as NodeJS.ProcessEnv, stdio: ['pipe', 'ignore', 'ignore'] });
    daemon.stdin?.end(PASSWORD);
    this.daemon = daemon;
    const deadline = Date.now() + 10_000;
    // Ready once it owns the Secret Service name on the bus.
    while ((await run('dbus-send', ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'], this.env)).stdout.includes('boolean false')) {
      if (Date.now() > deadline) throw new Error('gnome-keyring-daemon did not come up');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stopDaemon(): Promise<void> {
    const daemon = this.daemon;
    if (!daemon || daemon.exitCode !== null) return;
    daemon.kill('SIGCONT');
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    daemon.kill('SIGTERM');
    // A daemon that ignores SIGTERM must not hold the test (and CI) forever.
    const kill = setTimeout(() => daemon.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(kill);
  }

  /** Locks the login keyring: reading it now needs an unlock prompt, which no one can show here. */
  async lock(): Promise<void> {
    const { code } = await run(
      'dbus-send',
      ['--session', '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/collection/login'],
      this.env,
    );
    if (code !== 0) throw new Error('the keyring could not be locked');
  }

  freeze(): void {
    this.daemon?.kill('SIGSTOP');
  }

  thaw(): void {
    this.daemon?.kill('SIGCONT');
  }

  /** What keytar (zoom-tray 0.1) would have stored: the Generic schema with service and account. */
  async storeLegacy(service: string, account: string, secret: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('secret-tool', ['store', `--label=${service}/${account}`, 'service', service, 'account', account], { env: this.env as NodeJS.ProcessEnv, stdio: ['pipe', 'ignore', 'ignore'] });
      child.stdin?.end(secret);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`secret-tool store exited ${code}`))));
    });
  }

  async legacyEntries(service: string): Promise<string[]> {
    // secret-tool prints the attributes on stderr.
    const { stderr } = await run('secret-tool', ['search', '--all', 'service', service], this.env);
    return [...stderr.matchAll(/^attribute\.account = (.*)$/gm)].map((m) => m[1] ?? '');
  }

  async close(): Promise<void> {
    await this.stopDaemon();
    this.bus.kill();
    await rm(this.scratch, { recursive: true, force: true });
  }
}
