// The sign-in's loopback listener: any web page can make the browser send it requests and any
// local program can connect. Whatever the request line, Host and query, it is judged without
// throwing, only the real redirect carries a code, and Zoom's words are shown in part at most.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import fc from 'fast-check';
import { judge, loopbackAuthorities, oauthFailure, type RedirectRequest, waitForRedirect } from '../../main/auth/loopback-redirect';
import { freePort } from '../harness/fixtures';
import { within } from '../harness/within';
import { assertTypedError, FIVE_MB, holds, holdsAsync, outsideText, runs, timed } from './properties';

const STATE = 'st4te-0f-th1s-attempt';
const PORT = 47615;
const redirectUri = new URL(`http://localhost:${PORT}/oauth/callback`);
const authorities = loopbackAuthorities(PORT);

const param = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(`state=${STATE}`, 'code=the-code', 'error=invalid_request') },
  fc.constantFrom(`state=${STATE}`, 'state=other', 'code=the-code', 'code=', 'code=%00', 'code=%E2%80%AE', 'error=access_denied', 'error=invalid_request', 'error_description=Zoom+said+no', 'error_uri=x', `state=${STATE}%00`, '', '&', '='),
  outsideText(['code=', 'state=', 'error=', '%', '+', '&'], 6),
);
const target = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('/oauth/callback'), fc.array(param, { maxLength: 5 })).map(([p, q]) => `${p}?${q.join('&')}`) },
  fc.tuple(fc.constantFrom('/oauth/callback', '/oauth/callback/', '/OAUTH/callback', '/other', '//evil.example/oauth/callback', 'http://localhost/oauth/callback', '*', '', '/oauth/callback#'), fc.array(param, { maxLength: 5 })).map(([p, q]) => (q.length ? `${p}?${q.join('&')}` : p)),
  outsideText(['/oauth/callback', '?', '&', 'code=', `state=${STATE}`], 8),
);
const hosts = fc.oneof({ weight: 4, arbitrary: fc.constant([`localhost:${PORT}`]) }, fc.constantFrom([`localhost:${PORT}`], [`127.0.0.1:${PORT}`], [`[::1]:${PORT}`], [`LOCALHOST:${PORT}`], ['evil.example'], [`localhost:${PORT}`, `localhost:${PORT}`], []), fc.array(outsideText([], 4), { maxLength: 2 }));
/** The redirect itself, each of its parameters present or not, right or wrong. */
const nearRedirect = fc
  .tuple(
    fc.option(fc.constantFrom(`state=${STATE}`, `state=${STATE}`, `state=${STATE}`, 'state=other', `state=${STATE.toUpperCase()}`, `state=${STATE}&state=${STATE}`)),
    fc.option(fc.oneof(fc.constantFrom('code=the-code', 'code=the-code', 'code=A1~._-',  'code=', 'code=%0A', 'code=caf%C3%A9', 'code=a&code=b'), outsideText(['%'], 4).map((c) => `code=${c}`))),
    fc.option(fc.constantFrom('error=access_denied', 'error=invalid_request', 'error='), { freq: 2 }),
    fc.option(outsideText(['Zoom', ' ', '%'], 6).map((d) => `error_description=${d}`)),
    fc.option(param, { freq: 2 }),
  )
  .chain((parts) => {
    const present = parts.filter((p): p is string => p !== null);
    return fc.shuffledSubarray(present, { minLength: present.length });
  })
  .map((q) => ({ method: 'GET', url: `/oauth/callback?${q.join('&')}`, headersDistinct: { host: [`localhost:${PORT}`] } }));
const request = fc.oneof(nearRedirect, fc.record({ method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'get', undefined), url: fc.option(target, { nil: undefined, freq: 20 }), headersDistinct: fc.option(hosts, { nil: undefined, freq: 20 }).map((host) => (host ? { host } : {})) }));

/** An oracle written apart from judge(): what makes a request the redirect that carries the code. */
function isTheRedirect(req: RedirectRequest): boolean {
  const hostValues = req.headersDistinct.host;
  if (req.method !== 'GET' || hostValues?.length !== 1 || !authorities.has(hostValues[0]?.toLowerCase() ?? '')) return false;
  const url = req.url ?? '';
  const [pathPart, ...rest] = url.split('?');
  if (!url.startsWith('/') || pathPart !== '/oauth/callback') return false;
  const query = new URLSearchParams(rest.join('?'));
  return ['code', 'state', 'error', 'error_description', 'error_uri'].every((k) => query.getAll(k).length <= 1) && query.get('state') === STATE && query.get('error') === null;
}

test('judge: whatever the method, target and Host, a verdict; a code only on the real redirect, and only a printable one', () => {
  holds(
    fc.property(request, (req) => {
      const verdict = judge(req as RedirectRequest, redirectUri, STATE, authorities);
      if ('code' in verdict) {
        assert.ok(isTheRedirect(req as RedirectRequest), `a code from ${req.method} ${req.url}`);
        assert.match(verdict.code, /^[\x20-\x7e]+$/);
      }
      if ('oauthError' in verdict) {
        const failure = oauthFailure(verdict.oauthError, verdict.description);
        assertTypedError(failure.error, ['signed-out', 'zoom']);
      }
    }),
    runs(400),
  );
});

test("an error redirect's message quotes 300 characters of Zoom's words at most, even from 5 MB", async (t) => {
  const failure = await timed(t, 'oauthFailure', () => oauthFailure('x'.repeat(FIVE_MB), 'y'.repeat(FIVE_MB)));
  assertTypedError(failure.error, ['zoom']);
});

/** Bytes over a fresh connection, then its end; what came back, once the listener closes it. */
function send(port: number, bytes: string): Promise<string> {
  return within(
    5_000,
    'the listener closing a fuzzed connection',
    new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(text));
      socket.end(bytes, 'latin1');
    }),
  );
}

test('the live listener: any request bytes get an answer or a closed connection, and the wait goes on to the real redirect', async (t) => {
  const port = await freePort();
  const live = new URL(`http://localhost:${port}/oauth/callback`);
  const state = 'a-state-no-generator-makes-2b7e1516';
  const wait = await waitForRedirect({ redirectUri: live, state, timeoutMs: 60_000 });
  t.after(() => wait.cancel());
  let settled = false;
  wait.code.then(
    () => (settled = true),
    () => (settled = true),
  );
  const line = fc.tuple(fc.constantFrom('GET', 'HEAD', 'POST', 'G\u0000T', ''), target, fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/9', '')).map((parts) => parts.join(' '));
  const headers = fc.array(fc.oneof(fc.constantFrom(`Host: localhost:${port}`, 'Host: evil.example', 'Content-Length: 5', 'Transfer-Encoding: chunked', 'X: \u00ff'), outsideText([':', ' '], 4)), { maxLength: 4 });
  await holdsAsync(
    fc.asyncProperty(line, headers, fc.constantFrom('\r\n', '\n'), async (first, rest, eol) => {
      const answer = await send(port, [first, ...rest, '', ''].join(eol));
      assert.ok(answer === '' || /^HTTP\/1\.1 400 /.test(answer), answer.slice(0, 80));
      assert.equal(settled, false, 'the attempt ended');
    }),
    runs(40),
  );
  const ok = await new Promise<number>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: `/oauth/callback?code=the-code&state=${state}`, agent: false, headers: { Host: `localhost:${port}` } }, (res) => resolve(res.statusCode ?? 0)).on('error', reject);
  });
  assert.equal(ok, 200);
  assert.equal(await wait.code, 'the-code');
});
