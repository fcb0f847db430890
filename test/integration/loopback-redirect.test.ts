import '../harness/quiet-mock-timers';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import dc from 'node:diagnostics_channel';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import { waitForRedirect, type RedirectWait } from '../../main/auth/loopback-redirect';
import { ZoomTrayError } from '../../main/lib/errors';
import { freePort } from '../harness/fixtures';
import { within } from '../harness/within';

const MODULE = pathToFileURL(path.resolve(__dirname, '../../main/auth/loopback-redirect.ts')).href;

/** A raw GET with a chosen Host header, as a browser or an attacker's page would send it. */
function get(address: string, port: number, target: string, host = `localhost:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: address, port, path: target, agent: false, headers: { Host: host }, family: address.includes(':') ? 6 : 4 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

/** Sends bytes over a plain socket and collects whatever comes back until the listener closes it. */
function raw(
  port: number,
  request: string | Buffer,
  options: { halfClose?: boolean } = {},
): Promise<{ status: number | undefined; text: string; reset: boolean }> {
  return within(
    5_000,
    'close of the raw connection',
    new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      let text = '';
      let reset = false;
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      // A reset is reported, not thrown: some clients lose the page when the listener resets.
      socket.on('error', () => (reset = true));
      socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]) || undefined, text, reset }));
      socket.write(request);
      if (options.halfClose) socket.end();
    }),
  );
}

/** Resolves once the listener on `port` has accepted `count` connections (Node's net.server.socket channel). */
function accepted(port: number, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onSocket = (message: unknown): void => {
      if ((message as { socket: net.Socket }).socket.localPort !== port || ++seen < count) return;
      dc.unsubscribe('net.server.socket', onSocket);
      resolve();
    };
    dc.subscribe('net.server.socket', onSocket);
  });
}

function connect(port: number, options: { allowHalfOpen?: boolean } = {}): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, ...options }, () => resolve(socket));
    socket.on('error', reject);
  });
}

const closed = (socket: net.Socket): Promise<void> => (socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve())));

function watch(wait: RedirectWait): () => boolean {
  let settled = false;
  wait.code.then(
    () => (settled = true),
    () => (settled = true),
  );
  return () => settled;
}

/** A listener for this test alone, ended with the test even when an assertion fails. */
async function setup(t: TestContext, timeoutMs = 10_000) {
  const port = await freePort();
  const redirectUri = new URL(`http://localhost:${port}/oauth/callback`);
  const wait = await waitForRedirect({ redirectUri, state: 'the-state', timeoutMs });
  t.after(() => wait.cancel());
  return { port, wait };
}

async function completes(port: number, wait: RedirectWait): Promise<void> {
  const ok = await get('127.0.0.1', port, '/oauth/callback?code=the-code&state=the-state');
  assert.equal(ok.status, 200);
  assert.match(ok.body, /You can close this tab/);
  assert.equal(await wait.code, 'the-code');
}

test('wrong state, no code, other paths, other methods and foreign Hosts get 400 and the wait goes on', async (t) => {
  const { port, wait } = await setup(t);
  const settled = watch(wait);
  const probes = [
    await get('127.0.0.1', port, '/oauth/callback?code=c&state=wrong'),
    await get('127.0.0.1', port, '/oauth/callback?state=the-state'),
    await get('127.0.0.1', port, '/other?code=c&state=the-state'),
    await get('127.0.0.1', port, '/oauth/callback?code=c&state=the-state', 'evil.example:80'),
    await get('127.0.0.1', port, '/oauth/callback?code=c&state=the-state', `attacker.test:${port}`),
    await get('127.0.0.1', port, '/oauth/callback?error=access_denied&state=wrong'),
    await raw(port, `HEAD /oauth/callback?code=c&state=the-state HTTP/1.1\r\nHost: localhost:${port}\r\n\r\n`),
  ];
  assert.deepEqual(probes.map((p) => p.status), [400, 400, 400, 400, 400, 400, 400]);
  assert.equal(settled(), false);
  const ok = await get('::1', port, '/oauth/callback?code=the-code&state=the-state', `[::1]:${port}`);
  assert.equal(ok.status, 200);
  assert.match(ok.body, /You can close this tab/);
  assert.equal(await wait.code, 'the-code');
  // One-shot: the listener is gone once the attempt ended.
  await assert.rejects(get('127.0.0.1', port, '/oauth/callback?code=x&state=the-state'), /ECONNREFUSED/);
});

test('listens on both 127.0.0.1 and ::1 for localhost', async (t) => {
  const { port, wait } = await setup(t);
  assert.equal((await get('127.0.0.1', port, '/favicon.ico')).status, 400);
  assert.equal((await get('::1', port, '/favicon.ico')).status, 400);
  // Host names are case-insensitive (RFC 9110 §4.2.3).
  assert.equal((await get('127.0.0.1', port, '/oauth/callback?code=v4&state=the-state', `LocalHost:${port}`)).status, 200);
  assert.equal(await wait.code, 'v4');
});

test('access_denied ends the attempt with a clear sign-in-denied error', async (t) => {
  const { port, wait } = await setup(t);
  const page = await get('127.0.0.1', port, '/oauth/callback?error=access_denied&state=the-state');
  assert.match(page.body, /Sign-in denied/);
  await assert.rejects(wait.code, (err: unknown) => err instanceof ZoomTrayError && err.kind === 'signed-out' && /denied/.test(err.message));
});

test("Zoom's error text reaches the user printable, never as terminal control sequences", async (t) => {
  const { port, wait } = await setup(t);
  await get('127.0.0.1', port, '/oauth/callback?error=server_error&error_description=%1B%5D0%3Bpwned%07boom&state=the-state');
  await assert.rejects(wait.code, (err: unknown) => err instanceof ZoomTrayError && err.kind === 'zoom' && /server_error/.test(err.message) && !/[\u001b\u0007]/.test(err.message));
});

test('a taken port is an error naming the port and the setting to change', async () => {
  const port = await freePort();
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  try {
    await assert.rejects(
      waitForRedirect({ redirectUri: new URL(`http://localhost:${port}/cb`), state: 's', timeoutMs: 1000 }),
      (err: unknown) =>
        err instanceof ZoomTrayError &&
        err.exitCode === 2 &&
        err.message.includes(`Port ${port}`) &&
        err.message.includes('ZOOM_REDIRECT_URI') &&
        (err.cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE',
    );
  } finally {
    blocker.close();
  }
  // Nothing was left listening on ::1 by the failed attempt.
  const again = await waitForRedirect({ redirectUri: new URL(`http://localhost:${port}/cb`), state: 's', timeoutMs: 1000 });
  again.cancel();
  await assert.rejects(again.code, /cancelled/);
});

test('the attempt times out and frees the port', async (t) => {
  const { port, wait } = await setup(t, 200);
  await assert.rejects(wait.code, /timed out.* within 0\.2 seconds/);
  await assert.rejects(get('127.0.0.1', port, '/oauth/callback'), /ECONNREFUSED/);
});

for (const [timeoutMs, span] of [
  [90_000, '90 seconds'],
  [300_000, '5 minutes'],
] as const) {
  test(`a ${timeoutMs / 1000} s timeout says "${span}" and what to do next`, async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { wait } = await setup(t, timeoutMs);
    t.mock.timers.tick(timeoutMs);
    await assert.rejects(wait.code, (err: unknown) => {
      assert.ok(err instanceof ZoomTrayError && err.kind === 'signed-out');
      assert.match(err.message, new RegExp(`within ${span}\\. Start sign-in again`));
      return true;
    });
  });
}

/**
 * What a web page (through the browser) or a local program can send. `page`: the listener's own
 * 400 page; `status`: Node's bare 400 (missing Host); `closed`: Node dropped the connection (CONNECT).
 */
const HOSTILE: ReadonlyArray<{ name: string; request: (port: number) => string | Buffer; answer: 'page' | 'status' | 'closed'; halfClose?: boolean }> = [
  { name: 'a target that breaks URL parsing ("//[")', request: (p) => `GET //[ HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`, answer: 'page' },
  {
    name: 'a scheme-relative target naming another host',
    request: (p) => `GET //evil.example/oauth/callback?code=c&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`,
    answer: 'page',
  },
  {
    name: 'an absolute-form target',
    request: (p) => `GET http://evil.example/oauth/callback?code=c&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`,
    answer: 'page',
  },
  {
    name: 'an absolute-form target naming this listener',
    request: (p) => `GET http://localhost:${p}/oauth/callback?code=c&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`,
    answer: 'page',
  },
  { name: 'the asterisk target', request: (p) => `OPTIONS * HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`, answer: 'page' },
  { name: 'an authority-form CONNECT', request: (p) => `CONNECT localhost:${p} HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`, answer: 'closed' },
  { name: 'an unknown method', request: (p) => `BREW /oauth/callback?code=c&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`, answer: 'page' },
  { name: 'a lower-case method', request: (p) => `get /oauth/callback?code=c&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`, answer: 'page' },
  {
    name: 'a POST whose body never ends',
    request: (p) => `POST /oauth/callback?code=c&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\nContent-Length: 1000000000\r\n\r\nsome`,
    answer: 'page',
  },
  {
    name: 'state given twice, the right one first',
    request: (p) => `GET /oauth/callback?code=c&state=the-state&state=other HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`,
    answer: 'page',
  },
  {
    name: 'state given twice, both right',
    request: (p) => `GET /oauth/callback?state=the-state&code=c&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`,
    answer: 'page',
  },
  {
    name: 'code given twice',
    request: (p) => `GET /oauth/callback?code=a&code=b&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`,
    answer: 'page',
  },
  {
    name: 'two Host headers, the loopback one first',
    request: (p) => `GET /oauth/callback?code=c&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\nHost: evil.example\r\n\r\n`,
    answer: 'page',
  },
  { name: 'no Host header', request: () => `GET /oauth/callback?code=c&state=the-state HTTP/1.0\r\n\r\n`, answer: 'page' },
  { name: 'no Host header in HTTP/1.1', request: () => `GET /oauth/callback?code=c&state=the-state HTTP/1.1\r\n\r\n`, answer: 'status' },
  {
    name: 'broken percent-escapes',
    request: (p) => `GET /oauth/callback?code=%ZZ%&state=the-state%&%E0%A4%A HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`,
    answer: 'page',
  },
  {
    name: 'a code that is not UTF-8 once decoded',
    request: (p) => `GET /oauth/callback?code=%FF%FE%00&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`,
    answer: 'page',
  },
  {
    name: 'raw bytes above ASCII in the target',
    request: (p) =>
      Buffer.concat([Buffer.from('GET /oauth/callback?code='), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from(`&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`)]),
    answer: 'page',
  },
  { name: 'a NUL byte in the target', request: (p) => `GET /oauth/callback?code=a\u0000b&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`, answer: 'page' },
  { name: 'a huge header', request: (p) => `GET /oauth/callback HTTP/1.1\r\nHost: localhost:${p}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`, answer: 'page' },
  {
    name: 'an extremely long URL',
    request: (p) => `GET /oauth/callback?code=c&state=the-state&pad=${'a'.repeat(4 * 1024 * 1024)} HTTP/1.1\r\nHost: localhost:${p}\r\n\r\n`,
    answer: 'page',
  },
  {
    name: 'Content-Length and Transfer-Encoding together (request smuggling)',
    request: (p) => `POST /oauth/callback HTTP/1.1\r\nHost: localhost:${p}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    answer: 'page',
  },
  { name: 'a request cut off by the client closing its side', request: (p) => `GET /oauth/callback?code=c&state=the-state HTTP/1.1\r\nHost: localhost:${p}\r\n`, answer: 'page', halfClose: true },
];

for (const hostile of HOSTILE) {
  test(`hostile input: ${hostile.name} is refused, and the real redirect still completes`, async (t) => {
    const { port, wait } = await setup(t);
    const settled = watch(wait);
    const answer = await raw(port, hostile.request(port), hostile.halfClose ? { halfClose: true } : {});
    if (hostile.answer === 'closed') assert.equal(answer.text, '');
    else assert.equal(answer.status, 400, answer.text.slice(0, 200));
    if (hostile.answer === 'page') {
      assert.match(answer.text, /Content-Security-Policy: default-src 'none'[\s\S]*<h1>/);
      // The listener lets the client read its page before closing: no reset over unread input.
      assert.equal(answer.reset, false);
    }
    assert.equal(settled(), false);
    await completes(port, wait);
  });
}

test('a redirect carrying 20 KiB of cookies for localhost still signs in', async (t) => {
  const { port, wait } = await setup(t);
  const cookies = Array.from({ length: 5 }, (_, i) => `app${i}=${'c'.repeat(4000)}`).join('; ');
  const answer = await raw(port, `GET /oauth/callback?code=the-code&state=the-state HTTP/1.1\r\nHost: localhost:${port}\r\nCookie: ${cookies}\r\n\r\n`);
  assert.equal(answer.status, 200);
  assert.equal(await wait.code, 'the-code');
});

test('a redirect carrying more cookies than the listener takes gets a page saying what to do', async (t) => {
  const { port, wait } = await setup(t);
  const settled = watch(wait);
  const cookies = Array.from({ length: 12 }, (_, i) => `app${i}=${'c'.repeat(4000)}`).join('; ');
  const answer = await raw(port, `GET /oauth/callback?code=c&state=the-state HTTP/1.1\r\nHost: localhost:${port}\r\nCookie: ${cookies}\r\n\r\n`);
  assert.equal(answer.status, 400);
  assert.match(answer.text, /Request too large[\s\S]*Delete the cookies for localhost/);
  assert.equal(answer.reset, false);
  assert.equal(settled(), false);
  await completes(port, wait);
});

test('a flood of idle connections drops the oldest, and the redirect still gets through', async (t) => {
  const { port, wait } = await setup(t);
  // All at once, as a page firing many requests would.
  const flood = await Promise.all(Array.from({ length: 100 }, () => connect(port)));
  for (const socket of flood) socket.on('error', () => undefined);
  // The listener holds at most 64: the 36 oldest are dropped, the newest kept.
  await within(3_000, 'drop of the oldest connections', Promise.all(flood.slice(0, 36).map(closed)));
  assert.equal(flood.slice(36).filter((s) => s.closed).length, 0);
  await completes(port, wait);
  await within(3_000, 'close of the rest', Promise.all(flood.map(closed)));
});

for (const ending of ['code', 'denial', 'timeout', 'cancel'] as const) {
  test(`the end of the attempt (${ending}) closes idle and half-sent connections at once`, async (t) => {
    const { port, wait } = await setup(t, ending === 'timeout' ? 1_000 : 10_000);
    const settled = watch(wait);
    const held = accepted(port, 2);
    const silent = await connect(port);
    const halfSent = await connect(port);
    halfSent.write(`GET /oauth/callback HTTP/1.1\r\nHost: local`);
    await within(1_000, 'accept of both connections', held);
    assert.equal(settled(), false);
    if (ending === 'code') await completes(port, wait);
    if (ending === 'denial') assert.match((await get('127.0.0.1', port, '/oauth/callback?error=access_denied&state=the-state')).body, /Sign-in denied/);
    if (ending === 'cancel') wait.cancel();
    if (ending !== 'code') await assert.rejects(wait.code, ZoomTrayError);
    // Node's own request timeouts are 10 s: only closing them at the end passes this.
    await within(2_000, 'close of the held connections', Promise.all([closed(silent), closed(halfSent)]));
  });
}

/** A child Node process running only the listener, as `zoom-tray login` does while it waits. */
function listenerProcess(redirectUri: string, timeoutMs: number) {
  const script = `
    import dc from 'node:diagnostics_channel';
    const [moduleUrl, redirectUri, timeoutMs] = process.argv.slice(1);
    let accepted = 0;
    dc.subscribe('net.server.socket', () => console.log('accepted ' + ++accepted));
    const { waitForRedirect } = await import(moduleUrl);
    const wait = await waitForRedirect({ redirectUri: new URL(redirectUri), state: 'the-state', timeoutMs: Number(timeoutMs) });
    console.log('listening');
    try { console.log('code ' + await wait.code); } catch (err) { console.log('error ' + err.message); }
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, MODULE, redirectUri, String(timeoutMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    for (const waiter of waiters) waiter();
  });
  // 'close', not 'exit': by then every line the child printed has been read.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const line = (pattern: RegExp, ms: number): Promise<string> =>
    within(
      ms,
      `child output ${pattern}`,
      new Promise((resolve) => {
        const check = (): void => {
          const found = lines.find((l) => pattern.test(l));
          if (found === undefined) return;
          waiters.delete(check);
          resolve(found);
        };
        waiters.add(check);
        check();
      }),
    );
  return { child, exited, line, lines };
}

test('a process waiting for the redirect exits by itself once the code arrives, though idle, half-open and slowloris sockets are connected', async (t) => {
  const port = await freePort();
  const listener = listenerProcess(`http://localhost:${port}/oauth/callback`, 60_000);
  t.after(() => listener.child.kill('SIGKILL'));
  await listener.line(/^listening$/, 10_000);

  const silent = await connect(port);
  const halfOpen = await connect(port);
  halfOpen.write(`GET /oauth/callback?code=x HTTP/1.1\r\nHost: localhost:${port}\r\nX-Pending: `);
  // Sent part of a request, then closed its sending side while still reading.
  const halfClosed = await connect(port, { allowHalfOpen: true });
  halfClosed.end(`GET /oauth/callback HTTP/1.1\r\nHost: localhost:${port}\r\n`);
  const slowloris = await connect(port);
  slowloris.write(`GET /oauth/callback HTTP/1.1\r\nHost: localhost:${port}\r\nX-Slow: `);
  const drip = setInterval(() => slowloris.write('a'), 10);
  const held = [silent, halfOpen, halfClosed, slowloris];
  for (const socket of held) socket.on('error', () => undefined);
  t.after(() => {
    clearInterval(drip);
    for (const socket of held) socket.destroy();
  });
  await listener.line(/^accepted 4$/, 2_000);

  const page = await get('127.0.0.1', port, '/oauth/callback?code=the-code&state=the-state');
  assert.match(page.body, /You can close this tab/);
  assert.equal(await within(5_000, 'exit of the child after the redirect', listener.exited), 0);
  assert.deepEqual(listener.lines.slice(-1), ['code the-code']);
  // This side never closed the silent socket: the child did, on its way out.
  await within(1_000, 'close of the silent socket', closed(silent));
});

test('a process waiting for the redirect exits by itself when the attempt times out, though an idle socket is connected', async (t) => {
  const port = await freePort();
  const listener = listenerProcess(`http://localhost:${port}/oauth/callback`, 1_500);
  t.after(() => listener.child.kill('SIGKILL'));
  await listener.line(/^listening$/, 10_000);
  const silent = await connect(port);
  silent.on('error', () => undefined);
  t.after(() => silent.destroy());
  await listener.line(/^accepted 1$/, 2_000);
  assert.equal(await within(5_000, 'exit of the child after the timeout', listener.exited), 0);
  assert.match(listener.lines.at(-1) ?? '', /^error Sign-in timed out/);
});
