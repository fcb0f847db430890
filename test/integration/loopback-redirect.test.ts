import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { waitForRedirect } from '../../main/auth/loopback-redirect';
import { ZoomTrayError } from '../../main/errors';
import { freePort } from '../harness/fixtures';

/** A raw GET with a chosen Host header, as a browser or an attacker's page would send it. */
function get(address: string, port: number, path: string, host = `localhost:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: address, port, path, headers: { Host: host }, family: address.includes(':') ? 6 : 4 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

async function setup(timeoutMs = 10_000) {
  const port = await freePort();
  const redirectUri = new URL(`http://localhost:${port}/oauth/callback`);
  const wait = await waitForRedirect({ redirectUri, state: 'the-state', timeoutMs });
  return { port, wait };
}

test('wrong state, no code, other paths, other methods and foreign Hosts get 400 and the wait goes on', async () => {
  const { port, wait } = await setup();
  let settled = false;
  void wait.code.then(() => (settled = true), () => (settled = true));
  const probes = [
    await get('127.0.0.1', port, '/oauth/callback?code=c&state=wrong'),
    await get('127.0.0.1', port, '/oauth/callback?state=the-state'),
    await get('127.0.0.1', port, '/other?code=c&state=the-state'),
    await get('127.0.0.1', port, '/oauth/callback?code=c&state=the-state', 'evil.example:80'),
    await get('127.0.0.1', port, '/oauth/callback?code=c&state=the-state', `attacker.test:${port}`),
    await get('127.0.0.1', port, '/oauth/callback?error=access_denied&state=wrong'),
  ];
  assert.deepEqual(probes.map((p) => p.status), [400, 400, 400, 400, 400, 400]);
  assert.equal(settled, false);
  const ok = await get('::1', port, '/oauth/callback?code=the-code&state=the-state', `[::1]:${port}`);
  assert.equal(ok.status, 200);
  assert.match(ok.body, /You can close this tab/);
  assert.equal(await wait.code, 'the-code');
  // One-shot: the listener is gone once the attempt ended.
  await assert.rejects(get('127.0.0.1', port, '/oauth/callback?code=x&state=the-state'), /ECONNREFUSED/);
});

test('listens on both 127.0.0.1 and ::1 for localhost', async () => {
  const { port, wait } = await setup();
  assert.equal((await get('127.0.0.1', port, '/favicon.ico')).status, 400);
  assert.equal((await get('::1', port, '/favicon.ico')).status, 400);
  await get('127.0.0.1', port, '/oauth/callback?code=v4&state=the-state');
  assert.equal(await wait.code, 'v4');
});

test('access_denied ends the attempt with a clear sign-in-denied error', async () => {
  const { port, wait } = await setup();
  const page = await get('127.0.0.1', port, '/oauth/callback?error=access_denied&state=the-state');
  assert.match(page.body, /Sign-in denied/);
  await assert.rejects(wait.code, (err: unknown) => err instanceof ZoomTrayError && err.kind === 'signed-out' && /denied/.test(err.message));
});

test('a taken port is an error naming the port and the setting to change', async () => {
  const port = await freePort();
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  try {
    await assert.rejects(
      waitForRedirect({ redirectUri: new URL(`http://localhost:${port}/cb`), state: 's', timeoutMs: 1000 }),
      (err: unknown) =>
        err instanceof ZoomTrayError && err.exitCode === 2 && err.message.includes(`Port ${port}`) && err.message.includes('ZOOM_REDIRECT_URI'),
    );
  } finally {
    blocker.close();
  }
  // Nothing was left listening on ::1 by the failed attempt.
  const again = await waitForRedirect({ redirectUri: new URL(`http://localhost:${port}/cb`), state: 's', timeoutMs: 1000 });
  again.cancel();
  await assert.rejects(again.code, /cancelled/);
});

test('the attempt times out and frees the port', async () => {
  const { port, wait } = await setup(200);
  await assert.rejects(wait.code, /timed out after 0?\.?\d* ?\w*/);
  await assert.rejects(get('127.0.0.1', port, '/oauth/callback'), /ECONNREFUSED/);
});
