// Where the tray's endpoint lives, decided from the data folder alone (the CLI and the tray share it),
// and what makes a folder private enough to hold it. Pure: the adapters (server.ts, client.ts) act on it.
import { createHash } from 'node:crypto';
import path from 'node:path';

/**
 * A Unix socket's path must fit sun_path: 104 bytes on macOS, 108 on Linux, each with its NUL.
 * The smaller bound, so one rule holds everywhere.
 */
export const MAX_SOCKET_PATH_BYTES = 103;

export type Endpoint =
  /** A Unix socket in a folder only the user can enter. */
  | { readonly kind: 'socket'; readonly dir: string; readonly path: string }
  | { readonly kind: 'none'; readonly why: string };

const SOCKET = 'tray.sock';

function fits(socketPath: string): boolean {
  return Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH_BYTES;
}

/**
 * The endpoint of the tray that uses `dataDir`: `<dataDir>/endpoint/tray.sock`; when that path is
 * too long for a socket, a folder named for the data folder under $XDG_RUNTIME_DIR (the user's
 * own, per the XDG spec), or $TMPDIR on macOS (per user there); else none, and why.
 */
export function endpointFor(dataDir: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): Endpoint {
  // A named pipe's default ACL lets every user connect, Node cannot set another
  // (nodejs/node#47086), and pipe names can be listed by anyone, so a secret name guards nothing:
  // no endpoint on Windows until a pipe can be made the user's alone.
  if (platform === 'win32') return { kind: 'none', why: 'Node cannot restrict a named pipe to this user (nodejs/node#47086)' };
  const own = path.posix.join(dataDir, 'endpoint');
  if (fits(path.posix.join(own, SOCKET))) return { kind: 'socket', dir: own, path: path.posix.join(own, SOCKET) };
  const tag = `zoom-tray-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  const bases = [env.XDG_RUNTIME_DIR, platform === 'darwin' ? env.TMPDIR : undefined].map((b) => b?.trim()).filter((b): b is string => Boolean(b) && path.posix.isAbsolute(b ?? ''));
  for (const base of bases) {
    const dir = path.posix.join(base, tag);
    if (fits(path.posix.join(dir, SOCKET))) return { kind: 'socket', dir, path: path.posix.join(dir, SOCKET) };
  }
  return {
    kind: 'none',
    why: `the data folder's path is too long for a socket (${Buffer.byteLength(path.posix.join(own, SOCKET))} bytes, at most ${MAX_SOCKET_PATH_BYTES}) and ${platform === 'darwin' ? 'neither $XDG_RUNTIME_DIR nor $TMPDIR offers' : '$XDG_RUNTIME_DIR does not offer'} a shorter one`,
  };
}

export interface FolderFacts {
  readonly isDirectory: boolean;
  readonly isSymbolicLink: boolean;
  readonly uid: number;
  readonly mode: number;
}

/**
 * Why a folder cannot hold the endpoint, or undefined when it can: a real folder (not a link to
 * one), the user's own, that nobody else may enter or list. The CLI asks this before it connects,
 * so a socket another user placed cannot pose as the tray and be handed a request.
 */
export function folderProblem(facts: FolderFacts, uid: number): string | undefined {
  if (facts.isSymbolicLink || !facts.isDirectory) return 'is not a folder';
  if (facts.uid !== uid) return `belongs to user ${facts.uid}, not to this user (${uid})`;
  if ((facts.mode & 0o077) !== 0) return `is open to others (mode ${(facts.mode & 0o777).toString(8)})`;
  return undefined;
}
