import { randomUUID } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ZoomTrayError } from '../lib/errors';
import { errorCode as code, fileErrorReason as reason, makeDir } from '../lib/files';
import { describeSpan } from '../lib/span';

/*
 * Serialises refresh-token rotation across processes (tray, CLI runs): Zoom retires the old refresh
 * token the moment it answers, so two concurrent refreshes would end the session.
 *
 * The lock is a file created with `wx` (exactly one creator wins). Its holder writes
 * {pid, host, nonce} into it and touches its mtime every heartbeat while `fn` runs. A waiter breaks
 * it only when its holder is gone: the pid is dead on this machine, or the waiter has watched the
 * heartbeat stand still for STALE_MS on its own monotonic clock (not the mtime's age: a machine that
 * wakes from sleep, or a file server with another clock, must not make a live holder look old).
 *
 * Breaking is serialised by a second `wx` file, `<lock>.break`, held for a few milliseconds: under
 * it the breaker looks at the lock again and removes it only if it is still exactly what it judged
 * stale (same device, inode, content and mtime). Interleavings considered:
 * - Waiters A and B both judge lock L1 stale. A takes the turn, finds L1, removes it, and A, B or
 *   a newcomer C creates L2. B then takes the turn and finds L2 (or nothing), not L1: it removes
 *   nothing. Without the turn, B's look-then-remove could straddle C's create and remove L2.
 * - A waiter judged L1 stale from an old look, and L1 has since been released and L2 taken: the
 *   look under the turn sees L2 and leaves it.
 * - Release removes the path only if it is still our inode, compared while our open handle keeps
 *   that inode (and so its number) in use: a holder whose lock was broken never removes the next
 *   holder's lock.
 * Accepted gaps, each needing a stall of STALE_MS or a crash inside a window of milliseconds:
 * - A holder frozen for STALE_MS (five missed heartbeats) is judged crashed; if it wakes, its refresh
 *   may overlap the next holder's.
 * - A breaker that dies while holding the turn leaves `<lock>.break`; it is removed by the same
 *   stale test but without a turn of its own, so two waiters removing it at the same moment could
 *   both break at once.
 */

/** The holder touches its lock this often while `fn` runs, to show it is alive. */
const HEARTBEAT_MS = 2_000;
/**
 * A heartbeat a waiter has seen stand still this long means a crashed or frozen holder: five missed
 * beats, so GC pauses and slow disks on a busy machine do not count as death.
 */
const STALE_MS = 10_000;
/**
 * How long waiters wait for a live holder. The refresh under the lock is bounded by the HTTP
 * client's 15 s timeout, asked at most twice, plus keychain reads and writes: about 35 s at most,
 * unless the keychain shows an unlock prompt (up to a minute), which the waiter's message says to
 * answer. Longer than STALE_MS, so a crashed holder is always broken before anyone gives up.
 */
const WAIT_MS = 45_000;
/** Between looks at a busy lock: the most a hand-over to a waiter costs. */
const POLL_MS = 25;

export interface LockOptions {
  /** How long to wait for a live holder before giving up. */
  readonly timeoutMs?: number;
  /** How long a holder's heartbeat must stand still before its lock is broken. */
  readonly staleMs?: number;
  readonly heartbeatMs?: number;
}

interface Owner {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
}

/** What a look at a lock file saw: which file (device, inode, content) and its heartbeat (mtime). */
interface Sighting {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly mtimeNs: bigint;
  readonly text: string;
  readonly owner: Owner | undefined;
}

interface Held {
  readonly file: string;
  readonly handle: fs.FileHandle;
  readonly nonce: string;
}

const HOST = os.hostname();
/** Nonces of the lock files this process holds now: tells them from a crashed predecessor's that had our pid (after a reboot). */
const ours = new Set<string>();

/**
 * Runs `fn` while holding the lock `file`. `fn`'s own errors propagate unchanged; the lock's own
 * failures are `local` errors.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = WAIT_MS, staleMs = STALE_MS, heartbeatMs = HEARTBEAT_MS } = options;
  const held = await acquire(await location(file), timeoutMs, staleMs);
  // A failed beat looks like a stall to waiters; nothing better to do from here than keep beating.
  let beat: Promise<unknown> = Promise.resolve();
  const touch = () => {
    const now = new Date();
    return held.handle.utimes(now, now).catch(() => undefined);
  };
  // Unref'd: a holder whose `fn` never settles must not be kept alive, beating, by its own heartbeat.
  const timer = setInterval(() => {
    beat = beat.then(touch);
  }, heartbeatMs).unref();
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    await beat;
    await release(held);
  }
}

async function acquire(file: string, timeoutMs: number, staleMs: number): Promise<Held> {
  const deadline = performance.now() + timeoutMs;
  const lockWatch = new Watch(staleMs);
  const breakWatch = new Watch(staleMs);
  let lastSeen: Sighting | undefined;
  for (;;) {
    const held = await create(file);
    if (held) return held;
    const seen = await look(file);
    lastSeen = seen ?? lastSeen;
    if (seen && lockWatch.stale(seen) && (await breakLock(file, seen, breakWatch))) continue;
    if (performance.now() >= deadline) throw waitedTooLong(lastSeen, timeoutMs);
    await sleep(POLL_MS);
  }
}

/** Judges one path's holder: dead pid, or a heartbeat that stood still for `staleMs` while we watched. */
class Watch {
  private last: Sighting | undefined;
  private since = 0;

  constructor(private readonly staleMs: number) {}

  stale(seen: Sighting): boolean {
    const now = performance.now();
    if (!this.last || !sameState(this.last, seen)) {
      this.last = seen;
      this.since = now;
    }
    return ownerGone(seen.owner) || now - this.since >= this.staleMs;
  }
}

/** Removes `file` if it is still the lock judged stale, taking turns with other breakers (see top). True when worth trying again at once. */
async function breakLock(file: string, stale: Sighting, breakWatch: Watch): Promise<boolean> {
  const breaker = `${file}.break`;
  const turn = await create(breaker);
  if (!turn) {
    // Another waiter is breaking it, or died doing so.
    const other = await look(breaker);
    if (other && breakWatch.stale(other)) await removeIfUnchanged(breaker, other);
    return false;
  }
  try {
    await removeIfUnchanged(file, stale);
    return true;
  } finally {
    await release(turn);
  }
}

/** Creates `file` holding our owner record; undefined when it exists already. */
async function create(file: string): Promise<Held | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx', 0o600);
  } catch (err) {
    if (code(err) === 'EEXIST') return undefined;
    throw localError(`create its refresh lock in ${path.dirname(file)}`, err);
  }
  const nonce = randomUUID();
  ours.add(nonce);
  const owner: Owner = { pid: process.pid, host: HOST, nonce };
  // Unwritten (disk full), the lock still works: only a crash of ours would then cost waiters STALE_MS.
  await handle.writeFile(JSON.stringify(owner)).catch(() => undefined);
  return { file, handle, nonce };
}

/** Removes `file` only if it is still our inode, compared while our open handle keeps that inode in use. */
async function release(held: Held): Promise<void> {
  try {
    const [mine, there] = await Promise.all([held.handle.stat({ bigint: true }), fs.stat(held.file, { bigint: true })]);
    if (mine.dev === there.dev && mine.ino === there.ino) await fs.unlink(held.file);
  } catch {
    // Broken as stale already, or not removable: `fn`'s outcome stands, and a leftover of ours is
    // broken at once by the next taker (our pid is then dead, or no longer holds that nonce).
  } finally {
    ours.delete(held.nonce);
    await held.handle.close().catch(() => undefined);
  }
}

async function removeIfUnchanged(file: string, seen: Sighting): Promise<void> {
  const now = await look(file);
  if (!now || !sameState(now, seen)) return;
  try {
    await fs.unlink(file);
  } catch (err) {
    if (code(err) !== 'ENOENT') throw localError(`remove the stale refresh lock ${file}`, err);
  }
}

async function look(file: string): Promise<Sighting | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if (code(err) === 'ENOENT') return undefined;
    throw localError(`read its refresh lock ${file}`, err);
  }
  try {
    // One handle for both, so the content and the inode belong to the same file.
    const stat = await handle.stat({ bigint: true });
    const text = await handle.readFile('utf8');
    return { dev: stat.dev, ino: stat.ino, mtimeNs: stat.mtimeNs, text, owner: parseOwner(text) };
  } catch (err) {
    throw localError(`read its refresh lock ${file}`, err);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function sameState(a: Sighting, b: Sighting): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.text === b.text && a.mtimeNs === b.mtimeNs;
}

/** A record still being written, or from another machine, says nothing: only the heartbeat can tell then. */
function ownerGone(owner: Owner | undefined): boolean {
  if (!owner || owner.host !== HOST) return false;
  return owner.pid === process.pid ? !ours.has(owner.nonce) : !alive(owner.pid);
}

function parseOwner(text: string): Owner | undefined {
  try {
    const value = JSON.parse(text) as Partial<Owner>;
    const { pid, host, nonce } = value;
    return Number.isInteger(pid) && typeof host === 'string' && typeof nonce === 'string' ? { pid: pid as number, host, nonce } : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return code(err) === 'EPERM';
  }
}

/**
 * Folder errors every process of this user meets alike (the folder, or a parent, is a file; it is
 * read-only, or not writable for us), as opposed to ones that vary by moment or process (disk full,
 * I/O error, too many open files). ENOENT is how makeDir reports a folder it cannot create under a
 * dangling link or where the OS allows none (/proc).
 */
const UNUSABLE_FOLDER = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ELOOP', 'ENAMETOOLONG', 'ENOENT']);

/**
 * The lock lives in the data folder. When that folder is unusable for a reason in UNUSABLE_FOLDER,
 * it moves to a private folder under the temp dir: the configuration is complete and the lock is
 * all a refresh needs from the data folder (the log is optional already), so commands keep working.
 * The choice depends only on conditions every zoom-tray process of this user sees alike, so they all
 * pick the same file. Conditions that vary (a full disk) never move the lock, since two processes
 * could then pick two locks and rotate at once: they fail with a `local` error that names the fix.
 */
async function location(file: string): Promise<string> {
  const dir = path.dirname(file);
  try {
    await makeDir(dir);
    await fs.access(dir, constants.W_OK | constants.X_OK);
    return file;
  } catch (err) {
    if (!UNUSABLE_FOLDER.has(code(err) ?? '')) throw localError(`create its refresh lock in ${dir}`, err);
    return path.join(await privateTempDir(dir, err), path.basename(file));
  }
}

/**
 * `<tmp>/zoom-tray-<uid>`, created 0700, and used only if it is a real directory (lstat: never a
 * symlink) owned by us and closed to others, so another user cannot plant it to see or hold our
 * lock. The temp dir's sticky bit stops others from replacing it after the check.
 */
async function privateTempDir(dataDir: string, why: unknown): Promise<string> {
  const uid = process.getuid?.();
  const dir = path.join(os.tmpdir(), uid === undefined ? 'zoom-tray' : `zoom-tray-${uid}`);
  try {
    await fs.mkdir(dir, { mode: 0o700 }).catch((err: unknown) => {
      if (code(err) !== 'EEXIST') throw err;
    });
    const stat = await fs.lstat(dir);
    const mine = stat.isDirectory() && (uid === undefined || (stat.uid === uid && (stat.mode & 0o077) === 0));
    if (!mine) throw new Error(`${dir} is not a directory that only this user can use`, { cause: why });
  } catch (err) {
    throw new ZoomTrayError(
      'local',
      `zoom-tray cannot use its data folder ${dataDir} (${reason(why)}), nor ${dir} in its place, for its refresh lock. Make ${dataDir} writable, or set ZOOM_TRAY_DATA_DIR to a folder you can write to.`,
      { cause: err },
    );
  }
  return dir;
}

function waitedTooLong(seen: Sighting | undefined, timeoutMs: number): ZoomTrayError {
  const owner = seen?.owner;
  const who = owner ? ` (pid ${owner.pid}${owner.host === HOST ? '' : ` on ${owner.host}`})` : '';
  return new ZoomTrayError(
    'local',
    `Another zoom-tray process${who} has been renewing the Zoom sign-in for over ${describeSpan(timeoutMs)} and is still running. If it shows a keychain prompt, answer it; otherwise quit that process. Then try again.`,
  );
}

function localError(what: string, err: unknown): ZoomTrayError {
  const full = code(err) === 'ENOSPC' || code(err) === 'EDQUOT';
  const fix = full ? 'Free some disk space, then try again.' : 'Make that folder writable, or set ZOOM_TRAY_DATA_DIR to a folder you can write to.';
  return new ZoomTrayError('local', `zoom-tray cannot ${what} (${reason(err)}). ${fix}`, { cause: err });
}
