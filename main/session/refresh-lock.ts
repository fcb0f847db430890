import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZoomTrayError } from '../errors';

export interface LockOptions {
  /** How long to wait for another process's refresh before giving up. */
  readonly timeoutMs?: number;
  /** A lock older than this is a leftover of a crashed process. */
  readonly staleMs?: number;
  readonly pollMs?: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(file: string, staleMs: number): Promise<boolean> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    const pid = Number(text.split('\n')[0]);
    return Date.now() - stat.mtimeMs > staleMs || (Number.isInteger(pid) && pid > 0 && !alive(pid));
  } catch {
    return false; // gone already, or being written: try again
  }
}

/**
 * Serialises refresh-token rotation across processes (tray, CLI runs): Zoom invalidates the old
 * refresh token on every refresh, so two concurrent refreshes would end the session.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 30_000, staleMs = 60_000, pollMs = 20 } = options;
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + timeoutMs;
  let handle: fs.FileHandle | undefined;
  while (!handle) {
    try {
      handle = await fs.open(file, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await isStale(file, staleMs)) {
        await fs.rm(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new ZoomTrayError(
          'network',
          `Another zoom-tray process has been renewing the Zoom sign-in for ${Math.round(timeoutMs / 1000)} seconds. Try again; if this repeats, delete ${file}.`,
        );
      }
      await sleep(pollMs);
    }
  }
  try {
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
    return await fn();
  } finally {
    await fs.rm(file, { force: true });
  }
}
