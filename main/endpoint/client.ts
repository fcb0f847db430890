// The CLI's side of the endpoint: asks the running tray, and gives up quietly (undefined) on anything
// but a well-formed answer in time, so the CLI runs the command itself. A missing endpoint costs a
// stat; a folder or socket that is not the user's own is never connected to.
import { lstatSync } from 'node:fs';
import net from 'node:net';
import { type Endpoint, folderProblem } from './address';
import { MAX_ANSWER_BYTES, parseAnswer, requestLine, type TrayAnswer, type TrayRequest } from './protocol';

/** A tray that answers at all answers in milliseconds: its warm state is in memory. */
export const ANSWER_MS = 1_500;

/**
 * The socket's path when the folder and the socket are the user's own and private; else undefined
 * (a data folder that is a file, unreadable or too deep is no endpoint either: lstat throws then).
 */
function trustedSocket(dir: string, socketPath: string): string | undefined {
  try {
    const uid = process.getuid?.() ?? -1;
    const folder = lstatSync(dir, { throwIfNoEntry: false });
    if (!folder || folderProblem({ isDirectory: folder.isDirectory(), isSymbolicLink: folder.isSymbolicLink(), uid: folder.uid, mode: folder.mode }, uid)) return undefined;
    const socket = lstatSync(socketPath, { throwIfNoEntry: false });
    return socket?.isSocket() && socket.uid === uid ? socketPath : undefined;
  } catch {
    return undefined;
  }
}

/** The tray's answer, or undefined: nothing listening, not the user's, too slow, or not the protocol. */
export async function askTray(endpoint: Endpoint, request: TrayRequest, timeoutMs = ANSWER_MS): Promise<TrayAnswer | undefined> {
  const address = endpoint.kind === 'socket' ? trustedSocket(endpoint.dir, endpoint.path) : undefined;
  if (!address) return undefined;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const socket = net.createConnection(address);
    const done = (answer: TrayAnswer | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('connect', () => socket.write(requestLine(request)));
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES + 1) return done(undefined);
      chunks.push(chunk);
    });
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // One line, ended: a half-written answer is no answer.
      done(text.endsWith('\n') && text.indexOf('\n') === text.length - 1 ? parseAnswer(text.slice(0, -1)) : undefined);
    });
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
  });
}
