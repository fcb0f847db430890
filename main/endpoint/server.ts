// The tray's side of the endpoint: a thin adapter around net.Server. What a request means is
// decided elsewhere (answers.ts); here: the private folder, the stale socket, and a bounded
// conversation per connection.
import { promises as fs } from 'node:fs';
import net from 'node:net';
import { type Clock, systemClock } from '../lib/clock';
import { makeDir } from '../lib/files';
import { log } from '../lib/log';
import { type Endpoint, folderProblem } from './address';
import { answerLine, MAX_REQUEST_BYTES, parseRequest, type TrayAnswer, type TrayRequest } from './protocol';

/** A connection lasts at most this long, whatever the client does (sends nothing, half a line, never reads). */
export const CONNECTION_MS = 2_000;
/** Clients at once; one more is closed at once (the CLI then answers itself), never queued. */
export const MAX_CLIENTS = 64;

export interface EndpointServer {
  readonly address: string;
  close(): Promise<void>;
}

/** One connection: one request line in, one answer line out, then closed; destroyed at the deadline. */
function converse(socket: net.Socket, answer: (request: TrayRequest) => Promise<TrayAnswer>, clock: Clock = systemClock): void {
  const deadline = clock.setTimeout(() => socket.destroy(), CONNECTION_MS);
  socket.on('close', () => clock.clearTimeout(deadline));
  // A client that vanishes mid-answer is nothing to report.
  socket.on('error', () => undefined);
  const chunks: Buffer[] = [];
  let size = 0;
  const reply = (sent: TrayAnswer): void => {
    if (!socket.destroyed) socket.end(answerLine(sent));
  };
  const onData = (chunk: Buffer): void => {
    const nl = chunk.indexOf(0x0a);
    chunks.push(nl >= 0 ? chunk.subarray(0, nl) : chunk);
    size += nl >= 0 ? nl : chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      socket.off('data', onData);
      reply({ ok: false, why: 'too-large' });
      return;
    }
    if (nl < 0) return;
    socket.off('data', onData);
    const parsed = parseRequest(Buffer.concat(chunks).toString('utf8'));
    if (!parsed.ok) return reply(parsed);
    answer(parsed.value).then(reply, (err: unknown) => {
      log.warn('the endpoint could not answer a request', err);
      reply({ ok: false, why: 'failed' });
    });
  };
  socket.on('data', onData);
}

/** The endpoint's server, not yet listening: every connection a conversation, at most MAX_CLIENTS at once. */
export function endpointServer(answer: (request: TrayRequest) => Promise<TrayAnswer>, clock: Clock = systemClock): net.Server {
  const server = net.createServer((socket) => converse(socket, answer, clock));
  server.maxConnections = MAX_CLIENTS;
  return server;
}

async function privateFolder(dir: string): Promise<string | undefined> {
  await makeDir(dir);
  const stat = await fs.lstat(dir);
  const uid = process.getuid?.() ?? -1;
  // Ours but too open (made by hand, or by an umask'd copy): closed, then checked again.
  if (stat.isDirectory() && !stat.isSymbolicLink() && stat.uid === uid && (stat.mode & 0o077) !== 0) await fs.chmod(dir, 0o700);
  const now = await fs.lstat(dir);
  return folderProblem({ isDirectory: now.isDirectory(), isSymbolicLink: now.isSymbolicLink(), uid: now.uid, mode: now.mode }, uid);
}

function listen(server: net.Server, where: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Listens at the endpoint, or says in the log why not and returns undefined: the tray works the
 * same without it (the CLI answers itself). A socket file a crash left behind is removed first;
 * the single-instance lock means no other tray of this data folder is listening there.
 */
export async function listenEndpoint(endpoint: Endpoint, answer: (request: TrayRequest) => Promise<TrayAnswer>, clock: Clock = systemClock): Promise<EndpointServer | undefined> {
  if (endpoint.kind === 'none') {
    log.warn(`the CLI's endpoint is off: ${endpoint.why}`);
    return undefined;
  }
  const server = endpointServer(answer, clock);
  try {
    const problem = await privateFolder(endpoint.dir);
    if (problem) {
      log.warn(`the CLI's endpoint is off: its folder ${endpoint.dir} ${problem}`);
      return undefined;
    }
    await fs.rm(endpoint.path, { force: true });
    await listen(server, endpoint.path);
    return { address: endpoint.path, close: () => closeServer(server, () => fs.rm(endpoint.path, { force: true })) };
  } catch (err) {
    log.warn("the CLI's endpoint could not listen", err);
    server.close();
    return undefined;
  }
}

/** Its address goes first, so no CLI finds it while the last answers finish (each within CONNECTION_MS). */
async function closeServer(server: net.Server, removeAddress: () => Promise<void>): Promise<void> {
  await removeAddress().catch(() => undefined);
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
