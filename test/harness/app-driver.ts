import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Env } from '../../main/core/config';
import type { HostClock, HostCommand, HostProbe, HostReply, HostSnapshot, MenuItemSnapshot } from './host-protocol';

const HOST = path.resolve(__dirname, 'electron-host.ts');

export interface BootOptions {
  /** The app process's time zone; UTC unless said. */
  readonly tz?: string;
  /** Lets the 'probe' op collect garbage before it measures memory. */
  readonly exposeGc?: boolean;
}

/** Drives the real main process, booted under Node with the Electron double, from a test. */
export class AppDriver {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: HostReply) => void>();
  output = '';
  readonly exited: Promise<number | null>;
  /** Hears the app's clock as the host moves it (run-to, sleep-to). */
  onClock: ((at: number) => void) | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: HostReply | HostClock) => {
      if ('clock' in reply) this.onClock?.(reply.clock);
      else this.waiting.get(reply.id)?.(reply);
    });
    child.stdout?.on('data', (c: Buffer) => (this.output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.output += c.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  /** Boots the app; `args` are its command line (e.g. `--start pmi`). */
  static boot(env: Env, args: readonly string[] = [], options: BootOptions = {}): AppDriver {
    const execArgv = ['--import', 'tsx', ...(options.exposeGc ? ['--expose-gc'] : [])];
    const child = fork(HOST, [...args], { execArgv, env: { ...env, TZ: options.tz ?? 'UTC' } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    return new AppDriver(child);
  }

  /** `limitMs`: well above any one step of the app; a loaded CI machine is slow, not broken. */
  call<T>(command: HostCommand, limitMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`host did not answer ${command.op} (output: ${this.output})`)), limitMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        if (reply.ok) resolve(reply.result as T);
        else reject(new Error(reply.error));
      });
      this.child.send({ id, command });
    });
  }

  menu(): Promise<MenuItemSnapshot[]> {
    return this.call({ op: 'menu' });
  }

  async labels(): Promise<string[]> {
    return (await this.menu()).map((i) => (i.type === 'separator' ? '---' : i.label));
  }

  snapshot(): Promise<HostSnapshot> {
    return this.call({ op: 'snapshot' });
  }

  /** Clicks the first enabled item with this label (below the item labelled `after`, when given). */
  async click(label: string, after?: string): Promise<void> {
    if (!(await this.call<boolean>({ op: 'click', label, ...(after === undefined ? {} : { after }) }))) {
      throw new Error(`no enabled menu item "${label}"${after ? ` below "${after}"` : ''} in ${JSON.stringify(await this.labels())}`);
    }
  }

  /** Clicks an item of the submenu `within` (the first one below `after`, when given). */
  async clickIn(within: string, label: string, after?: string): Promise<void> {
    if (!(await this.call<boolean>({ op: 'click', label, within, ...(after === undefined ? {} : { after }) }))) {
      throw new Error(`no enabled item "${label}" in the submenu "${within}"${after ? ` below "${after}"` : ''} of ${JSON.stringify(await this.menu())}`);
    }
  }

  shortcut(accelerator: string): Promise<boolean> {
    return this.call({ op: 'shortcut', accelerator });
  }

  ipc<T>(channel: string, payload: unknown, trusted = true): Promise<T> {
    return this.call({ op: 'ipc', channel, payload, trusted });
  }

  /** Polls until `probe` returns something truthy. */
  async until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 45_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; menu: ${JSON.stringify(await this.labels())}; output: ${this.output}`);
      await sleep(25);
    }
  }

  untilMenuHas(label: string | RegExp): Promise<string> {
    const match = (l: string): boolean => (typeof label === 'string' ? l === label : label.test(l));
    return this.until(`menu item ${String(label)}`, async () => (await this.labels()).find(match));
  }

  /** Quits from the app's side (the host exits without answering) and waits for the exit. */
  quit(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.connected) this.child.send({ id: 0, command: { op: 'quit' } });
    return this.exited;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /**
   * The app's wall clock jumps forward to `at` (epoch ms), as over a machine sleep: answers once the
   * timers that fell due have fired and what they started has settled. Returns how many fired.
   */
  jumpTo(at: number | Date): Promise<number> {
    return this.call({ op: 'jump-to', at: +at });
  }

  /** Awake until `at`: every timer at its own time, each one's work done before the next (see TimeWarp.runTo). */
  runTo(at: number): Promise<number> {
    return this.call({ op: 'run-to', at }, 120_000);
  }

  /** Asleep until `at`; overdue timers fire on waking and their work is done when this answers. */
  sleepTo(at: number): Promise<number> {
    return this.call({ op: 'sleep-to', at }, 120_000);
  }

  /** Answers once the app has nothing in flight (no request, keychain call or file operation). */
  settle(): Promise<boolean> {
    return this.call({ op: 'settle' }, 120_000);
  }

  /** Kills the keychain helper as a crash would: now, or just after the app sends it its next write. */
  killKeychain(when: 'now' | 'next-write'): Promise<boolean> {
    return this.call({ op: 'kill-keychain', when });
  }

  probe(since = 0): Promise<HostProbe> {
    return this.call({ op: 'probe', since });
  }
}
