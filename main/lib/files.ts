import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ZoomTrayError } from './errors';

/**
 * Reads a small file without ever blocking: a FIFO or a device in its place would make a plain read
 * wait forever, so it is opened non-blocking and must turn out to be a regular file of at most `maxBytes`.
 */
export async function readSmallFile(file: string, maxBytes: number): Promise<string> {
  const handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > maxBytes) throw new Error(`larger than ${maxBytes / 1024} KB`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Makes a private folder and its missing parents, each tried at most twice. Node's own
 * `mkdir(…, { recursive: true })` never returns (at full CPU, Node 20 and 22) where the OS answers
 * "no such folder" to every attempt, as under /proc; here such a path fails at once with ENOENT.
 */
export async function makeDir(dir: string): Promise<void> {
  try {
    await mkdirOnce(dir);
  } catch (err) {
    const parent = path.dirname(dir);
    if (errorCode(err) !== 'ENOENT' || parent === dir) throw err;
    await makeDir(parent);
    await mkdirOnce(dir);
  }
}

/** One mkdir; a folder already there (made by another process meanwhile, too) is success. */
async function mkdirOnce(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { mode: 0o700 });
  } catch (err) {
    if (errorCode(err) !== 'EEXIST' || !(await fs.stat(dir)).isDirectory()) throw err;
  }
}

/**
 * zoom-tray's data folder, made before anything is read or written there: one that cannot be made
 * is a `local` error naming the fix, rather than a settings file, account list and log that
 * each fail on their own.
 */
export async function makeDataDir(dataDir: string): Promise<void> {
  try {
    await makeDir(dataDir);
  } catch (err) {
    throw new ZoomTrayError(
      'local',
      `zoom-tray cannot make its data folder ${dataDir} (${fileErrorReason(err)}). Set ZOOM_TRAY_DATA_DIR to a folder you can write to.`,
      { cause: err },
    );
  }
}

/** A file system error in words for a message. */
export function fileErrorReason(err: unknown): string {
  switch (errorCode(err)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full';
    case 'EROFS':
      return 'the disk is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a file is in the way';
    case 'EISDIR':
      return 'a folder is in the way';
    case 'ENOENT':
      return 'it cannot be created';
    default:
      return `error ${errorCode(err) ?? 'unknown'}`;
  }
}

export function errorCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** Writes through a private temporary file and a rename: a reader sees the old file or the new one, never half. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  // Unique per write: two writes of one process (the tray) must not share a temporary file.
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await makeDir(path.dirname(file));
    const handle = await fs.open(tmp, 'w', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}
