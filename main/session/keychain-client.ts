import type { ChildProcess } from 'node:child_process';
import { ZoomTrayError } from '../lib/errors';
import { rememberStored } from '../lib/redact';
import { describeSpan } from '../lib/span';
import { forkKeychainProcess } from './keychain-process';
import type { KeychainFailure, KeychainReply, KeychainRequest, SecretEntry } from './keychain-protocol';

/** One running keychain process, as the CLI (a Node child) or the tray (an Electron utility process) sees it. */
export interface KeychainChannel {
  post(request: KeychainRequest): void;
  onMessage(listener: (reply: KeychainReply) => void): void;
  onExit(listener: (how: string) => void): void;
  /** While nothing is pending the CLI may exit without waiting for the child. */
  hold(held: boolean): void;
  kill(): void;
}
export type SpawnKeychain = () => KeychainChannel;

/** The CLI's keychain process (a Node child); `started` is one the CLI's entry already forked, if it still runs. */
export function forkKeychain(started?: ChildProcess): KeychainChannel {
  // One that ended before it was adopted would never report it (its exit event is gone): start another.
  const alive = started?.connected && started.exitCode === null && started.signalCode === null;
  if (started && !alive) started.kill('SIGKILL');
  const child = alive ? started : forkKeychainProcess();
  return {
    post: (request) => void child.send(request),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => {
      child.on('exit', (code, signal) => listener(signal ? `signal ${signal}` : `exit code ${code}`));
      child.on('error', (err) => listener(err.message));
    },
    hold: (held) => {
      if (held) {
        child.ref();
        child.channel?.ref();
      } else {
        child.unref();
        child.channel?.unref();
      }
    },
    kill: () => void child.kill('SIGKILL'),
  };
}

export interface KeychainClientOptions {
  readonly spawn?: SpawnKeychain;
  /** How long one keychain call may take; an unlock prompt may be waiting for the user meanwhile. */
  readonly timeoutMs?: number;
  /** The process ends after this long with nothing to do. */
  readonly idleMs?: number;
}

/** The README's recipe for a Secret Service in a shell with no desktop session (SSH, a server). */
export const HEADLESS_KEYCHAIN_HELP = 'https://github.com/zoom-tray/zoom-tray#sign-in-without-a-desktop';

/** What to do when there is no keychain to talk to; on Linux that is most often a shell with no desktop. */
export function unavailableFix(platform: NodeJS.Platform): string {
  if (platform === 'darwin' || platform === 'win32') {
    const keychain = platform === 'darwin' ? 'the macOS Keychain' : 'the Windows Credential Manager';
    return `zoom-tray keeps your Zoom sign-in only in the OS keychain (${keychain}): check that you are logged in to your desktop, then try again.`;
  }
  return (
    'zoom-tray keeps your Zoom sign-in only in the OS keychain, on Linux a Secret Service (gnome-keyring, KWallet, KeePassXC): ' +
    `on a desktop, install one and log in again; with no desktop (SSH, a server), start one with dbus-run-session and gnome-keyring-daemon: ${HEADLESS_KEYCHAIN_HELP}`
  );
}

/** A request before it is numbered (distributes over the union's members). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

const FAILURES: Record<KeychainFailure, (message: string) => string> = {
  locked: (message) => `The OS keychain is locked and was not unlocked (${message}). Unlock it (or answer its unlock prompt), then try again.`,
  'no-answer': (message) =>
    `The OS keychain did not answer in time (${message}). Try again; if this repeats, restart the keychain service (for example by logging out and in).`,
  unavailable: (message) => `The OS keychain is unavailable (${message}). ${unavailableFix(process.platform)}`,
};

interface Pending {
  readonly resolve: (value: KeychainReply) => void;
  readonly reject: (err: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * Talks to the keychain process: one at a time, started on demand, killed when a call does not
 * answer in time or when it has been idle. Every failure becomes a `keychain` error that says
 * what to do; nothing here can crash or hang the calling process. Every secret that passes is
 * remembered by the redactor.
 */
export class KeychainClient {
  private channel: KeychainChannel | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly spawn: SpawnKeychain;
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private readonly prefetched = new Map<string, Promise<string | undefined>>();

  constructor(options: KeychainClientOptions = {}) {
    this.spawn = options.spawn ?? forkKeychain;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.idleMs = options.idleMs ?? 10_000;
  }

  /**
   * Starts reading an entry now, which starts the keychain process: the CLI asks before it loads
   * the rest of itself, so both happen at once. The next `get` of the entry takes the answer.
   */
  prefetch(service: string, account: string): void {
    const key = `${service}\0${account}`;
    if (this.prefetched.has(key)) return;
    const answer = this.read(service, account);
    answer.catch(() => undefined); // the get that takes it reports the failure
    this.prefetched.set(key, answer);
  }

  get(service: string, account: string, options: { fresh?: boolean } = {}): Promise<string | undefined> {
    const key = `${service}\0${account}`;
    const answer = this.prefetched.get(key);
    this.prefetched.delete(key);
    return (!options.fresh && answer) || this.read(service, account);
  }

  async set(service: string, account: string, secret: string): Promise<void> {
    rememberStored(secret);
    this.prefetched.delete(`${service}\0${account}`);
    await this.call({ op: 'set', service, account, secret });
  }

  async delete(service: string, account: string): Promise<void> {
    this.prefetched.delete(`${service}\0${account}`);
    await this.call({ op: 'delete', service, account });
  }

  /** The names of this service's entries (their secrets stay in the keychain process). */
  async list(service: string): Promise<string[]> {
    const value = (await this.call({ op: 'list', service })).value;
    return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
  }

  async legacyList(service: string): Promise<SecretEntry[]> {
    const value = (await this.call({ op: 'legacy-list', service })).value;
    const entries = Array.isArray(value) ? (value as SecretEntry[]) : [];
    for (const entry of entries) rememberStored(entry.secret);
    return entries;
  }

  async legacyDelete(service: string, account: string): Promise<void> {
    await this.call({ op: 'legacy-delete', service, account });
  }

  private async read(service: string, account: string): Promise<string | undefined> {
    const value = (await this.call({ op: 'get', service, account })).value;
    if (typeof value !== 'string') return undefined;
    rememberStored(value);
    return value;
  }

  /** Ends the keychain process now (the app is quitting). */
  close(): void {
    this.stop(new ZoomTrayError('keychain', 'zoom-tray is closing.'));
  }

  private call(request: WithoutId<KeychainRequest>): Promise<Extract<KeychainReply, { ok: true }>> {
    const id = this.nextId++;
    const channel = this.running();
    clearTimeout(this.idleTimer);
    channel.hold(true);
    return new Promise<KeychainReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A call that does not answer leaves the process stuck: replace it rather than queue behind it.
        this.stop(
          new ZoomTrayError(
            'keychain',
            `The OS keychain did not answer within ${describeSpan(this.timeoutMs)} (is an unlock prompt waiting, or is the keychain service frozen?). Unlock the keychain, then try again.`,
          ),
        );
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      channel.post({ ...request, id } as KeychainRequest);
    }).then((reply) => {
      if (reply.ok) return reply;
      throw new ZoomTrayError('keychain', FAILURES[reply.cause](reply.message));
    });
  }

  private running(): KeychainChannel {
    if (this.channel) return this.channel;
    let channel: KeychainChannel;
    try {
      channel = this.spawn();
    } catch (err) {
      throw new ZoomTrayError('keychain', `The OS keychain could not be reached: its helper process did not start (${(err as Error).message}).`, { cause: err });
    }
    channel.onMessage((reply) => this.settle(reply));
    channel.onExit((how) => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.fail(new ZoomTrayError('keychain', `The OS keychain library stopped unexpectedly (${how}). Try again; if this repeats, unlock or restart the keychain service.`));
    });
    this.channel = channel;
    return channel;
  }

  private settle(reply: KeychainReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.pending.delete(reply.id);
    waiting.resolve(reply);
    if (this.pending.size === 0 && this.channel) {
      this.channel.hold(false);
      this.idleTimer = setTimeout(() => this.stop(), this.idleMs);
      this.idleTimer.unref?.();
    }
  }

  private stop(reason?: ZoomTrayError): void {
    clearTimeout(this.idleTimer);
    const channel = this.channel;
    this.channel = undefined;
    channel?.kill();
    if (reason) this.fail(reason);
  }

  private fail(err: ZoomTrayError): void {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      this.pending.delete(id);
      waiting.reject(err);
    }
  }
}
