// The endpoint's fault suite: garbage, huge and half-written requests, idle clients, floods, a
// client that never reads, a stale socket, a folder that is not private. Real sockets in a private
// temporary folder; the connection deadline runs on the manual clock.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, chown, lstat, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { askTray } from '../../main/endpoint/client';
import { CONNECTION_MS, endpointServer, listenEndpoint, MAX_CLIENTS } from '../../main/endpoint/server';
import { MAX_REQUEST_BYTES, type TrayAnswer, type TrayRequest } from '../../main/endpoint/protocol';
import { ManualClock } from '../harness/manual-clock';
import { within } from '../harness/within';

const CONFIG = 'c'.repeat(64);
const GOOD = `{"v":1,"command":"accounts-json","config":"${CONFIG}"}\n`;
const ANSWERED = '{"v":1,"ok":true,"stdout":"[]\\n"}\n';

async function folder(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zt-ep-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The tray's endpoint server on the manual clock; `answer` is the tray's side. */
async function serve(t: TestContext, answer: (request: TrayRequest) => Promise<TrayAnswer> = async () => ({ ok: true, stdout: '[]\n' })) {
  const clock = new ManualClock();
  const at = path.join(await folder(t), 's.sock');
  const server = endpointServer(answer, clock);
  await new Promise<void>((resolve) => server.listen(at, resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const connections = (): Promise<number> => new Promise((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
  /** Once the server holds exactly `n` connections (it counts one once accepted, and drops it once closed). */
  const holding = (n: number): Promise<void> =>
    within(5_000, `${n} connections held`, (async () => {
      while ((await connections()) !== n) await new Promise((resolve) => setImmediate(resolve));
    })());
  return { clock, at, connections, holding };
}

/** Connects, sends `text` (if any), and resolves with everything received once the server closes the connection. */
function exchange(at: string, text?: string, options: { read?: boolean } = {}): { socket: net.Socket; answer: Promise<string> } {
  const socket = net.createConnection(at);
  socket.on('error', () => undefined);
  if (text !== undefined) socket.write(text);
  let got = '';
  if (options.read !== false) socket.on('data', (chunk: Buffer) => (got += chunk.toString()));
  return { socket, answer: new Promise((resolve) => socket.on('close', () => resolve(got))) };
}

test('a request is answered with one line and the connection closed', async (t) => {
  const asked: TrayRequest[] = [];
  const { at } = await serve(t, async (request) => (asked.push(request), { ok: true, stdout: '[]\n' }));
  assert.equal(await within(5_000, 'an answer', exchange(at, GOOD).answer), ANSWERED);
  // Written in pieces, as a slow client would: still one request.
  const { socket, answer } = exchange(at, GOOD.slice(0, 10));
  socket.write(GOOD.slice(10));
  assert.equal(await within(5_000, 'an answer', answer), ANSWERED);
  assert.deepEqual(asked, [{ command: 'accounts-json', config: CONFIG }, { command: 'accounts-json', config: CONFIG }]);
});

test('garbage, a wrong version and a huge request are answered with the reason, and the tray is never asked', async (t) => {
  let asked = 0;
  const { at } = await serve(t, async () => (asked++, { ok: true, stdout: '[]\n' }));
  const cases: [string, string][] = [
    ['GET / HTTP/1.1\r\n\r\n', 'bad-request'],
    ['\u0000\u0001\u0002\n', 'bad-request'],
    ['{"v":7}\n', 'version'],
    ['x'.repeat(MAX_REQUEST_BYTES + 1), 'too-large'],
    // A megabyte with no line end: cut off at the limit, not read to the end.
    ['{'.repeat(1024 * 1024), 'too-large'],
  ];
  for (const [text, why] of cases) {
    assert.equal(await within(5_000, `an answer to ${text.slice(0, 20)}`, exchange(at, text).answer), `{"v":1,"ok":false,"why":"${why}"}\n`);
  }
  assert.equal(asked, 0);
});

test(`a client that sends nothing, or half a request, is dropped at ${CONNECTION_MS} ms, not before`, async (t) => {
  const { clock, at, connections, holding } = await serve(t);
  const idle = exchange(at);
  const half = exchange(at, GOOD.slice(0, 20));
  // The server has both: now only the clock can end them.
  await holding(2);
  await clock.advance(CONNECTION_MS - 1);
  assert.equal(await connections(), 2, 'both still open');
  await clock.advance(1);
  assert.deepEqual(await within(5_000, 'both dropped', Promise.all([idle.answer, half.answer])), ['', '']);
});

test('a client that never reads a large answer is dropped at the deadline; the server is not held', async (t) => {
  const big = `${'x'.repeat(900 * 1024)}\n`;
  const { clock, at, holding } = await serve(t, async () => ({ ok: true, stdout: big }));
  const stuck = exchange(at, GOOD, { read: false });
  await holding(1);
  await clock.advance(CONNECTION_MS);
  await holding(0);
  stuck.socket.destroy();
});

test('50 clients at once are all answered; past the limit, the rest are refused at once, none hangs', async (t) => {
  // The tray's side answers only once every one of the 50 has asked: they are truly at once.
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (release = resolve));
  let asked = 0;
  const { at } = await serve(t, async () => {
    if (++asked === 50) release();
    await all;
    return { ok: true, stdout: '[]\n' };
  });
  const fifty = Array.from({ length: 50 }, () => exchange(at, GOOD).answer);
  assert.deepEqual(await within(10_000, '50 answers', Promise.all(fifty)), Array(50).fill(ANSWERED));

  const held = new Promise<TrayAnswer>(() => undefined);
  const flood = await serve(t, () => held);
  const many = Array.from({ length: MAX_CLIENTS + 20 }, () => exchange(flood.at, GOOD));
  // The first MAX_CLIENTS wait on the tray; the others are closed with nothing said.
  const refused = await within(10_000, 'the clients over the limit refused', Promise.all(many.slice(MAX_CLIENTS).map((c) => c.answer)));
  assert.deepEqual(refused, Array(20).fill(''));
  await flood.clock.advance(CONNECTION_MS);
  assert.deepEqual(await within(10_000, 'the rest dropped at the deadline', Promise.all(many.slice(0, MAX_CLIENTS).map((c) => c.answer))), Array(MAX_CLIENTS).fill(''));
});

test('the tray listens in a private folder, over a socket file a crash left behind, and removes it when it closes', async (t) => {
  const dir = path.join(await folder(t), 'endpoint');
  const at = path.join(dir, 'tray.sock');
  // A crash: a process listening there is killed, the socket file stays, nobody listens.
  await mkdir(dir, { mode: 0o700 });
  const crashed = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(at)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await within(10_000, 'the process to listen', once(crashed.stdout, 'data'));
  crashed.kill('SIGKILL');
  await once(crashed, 'exit');
  assert.ok((await lstat(at)).isSocket());
  const server = await listenEndpoint({ kind: 'socket', dir, path: at }, async () => ({ ok: true, stdout: '[]\n' }));
  assert.ok(server, 'listening');
  assert.equal(await within(5_000, 'an answer', exchange(at, GOOD).answer), ANSWERED);
  await server.close();
  await assert.rejects(lstat(at), { code: 'ENOENT' });
});

test('a folder made open by hand is closed again; one of another user keeps the endpoint off', async (t) => {
  const base = await folder(t);
  const open = path.join(base, 'open');
  await mkdir(open, { mode: 0o755 });
  await chmod(open, 0o755);
  const server = await listenEndpoint({ kind: 'socket', dir: open, path: path.join(open, 'tray.sock') }, async () => ({ ok: false, why: 'not-held' }));
  assert.ok(server);
  assert.equal((await stat(open)).mode & 0o777, 0o700);
  await server.close();
  if (process.getuid?.() !== 0) return t.skip("changing a folder's owner needs root");
  const theirs = path.join(base, 'theirs');
  await mkdir(theirs, { mode: 0o700 });
  await chown(theirs, 65534, 65534);
  assert.equal(await listenEndpoint({ kind: 'socket', dir: theirs, path: path.join(theirs, 'tray.sock') }, async () => ({ ok: false, why: 'not-held' })), undefined);
  await assert.rejects(lstat(path.join(theirs, 'tray.sock')), { code: 'ENOENT' });
  // A file where the folder should be: off as well.
  const file = path.join(base, 'file');
  await writeFile(file, '');
  assert.equal(await listenEndpoint({ kind: 'socket', dir: file, path: path.join(file, 'tray.sock') }, async () => ({ ok: false, why: 'not-held' })), undefined);
});

// Found in review: a data folder that is a file made lstat throw ENOTDIR, and the CLI crashed with
// Node's stack trace instead of running the command (which then says exit 8 in its own words).
test('the CLI asks no tray, and does not throw, when the endpoint folder cannot even be looked at', async (t) => {
  const base = await folder(t);
  const file = path.join(base, 'data');
  await writeFile(file, 'not a folder');
  const request: TrayRequest = { command: 'accounts-json', config: CONFIG };
  assert.equal(await askTray({ kind: 'socket', dir: path.join(file, 'endpoint'), path: path.join(file, 'endpoint', 'tray.sock') }, request), undefined);
});
