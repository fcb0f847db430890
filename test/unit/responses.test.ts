import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeError, errorChain, ZoomTrayError } from '../../main/lib/errors';
import { printable, redact, rememberSecret } from '../../main/lib/redact';
import { retryAfterSeconds } from '../../main/zoom/http';
import { meetingList, parseResponse, tokenResponse, user, validMeetings } from '../../main/zoom/schemas';

test('Zoom ids become digit strings without losing precision', () => {
  const list = validMeetings(parseResponse(meetingList, { meetings: [{ id: 89999999999, type: 2, topic: 't' }], next_page_token: '' }, 'x').meetings);
  assert.equal(list.meetings[0]?.id, '89999999999');
  assert.equal(parseResponse(user, { id: 'u', email: 'a@b', pmi: 5551234567 }, 'x').pmi, '5551234567');
});

test('an invalid response names the field, never its value', () => {
  const secretish = 'eyJhbGciOi.secret-value';
  assert.throws(
    () => parseResponse(tokenResponse, { access_token: secretish, refresh_token: 7, expires_in: 3599 }, 'the token request'),
    (err: unknown) => err instanceof ZoomTrayError && err.kind === 'zoom' && /refresh_token/.test(err.message) && !err.message.includes(secretish),
  );
  assert.throws(() => parseResponse(user, 'not json', 'GET /users/me'), /GET \/users\/me/);
});

test('redact masks tokens, ZAKs, codes and Authorization values', () => {
  const text = 'https://zoom.us/s/1?zak=abc.def&x=1 code=xyz Bearer eyJ0eXAi.abc Basic Zm9vOmJhcg== eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOjF9.sig';
  const out = redact(text);
  for (const secret of ['abc.def', 'xyz', 'eyJ0eXAi.abc', 'Zm9vOmJhcg==', 'eyJzdWIiOjF9']) assert.ok(!out.includes(secret), out);
  assert.match(out, /zak=\[redacted\]&x=1/);
  assert.match(describeError(new Error('failed with token=s3cr3t')), /token=\[redacted\]/);
});

test('redact masks secrets it has seen by value, whatever their shape, also inside error messages and causes', () => {
  const opaque = 'f3a9c2d4e5b6a7980112233445566778';
  const text = `Zoom said: Invalid Token! ${opaque} (again: ${opaque})`;
  assert.equal(redact(text), text, 'an opaque token it never saw is left alone');
  rememberSecret(opaque);
  assert.equal(redact(text), 'Zoom said: Invalid Token! [redacted] (again: [redacted])');
  assert.ok(!new ZoomTrayError('zoom', `refused ${opaque}`).message.includes(opaque));
  assert.ok(!errorChain(new ZoomTrayError('network', 'outer', { cause: new Error(`inner ${opaque}`) })).includes(opaque));
  rememberSecret('short');
  assert.equal(redact('a short word'), 'a short word', 'values too short to be secrets are not masked');
});

test('an error message carrying Zoom\'s text cannot drive a terminal', () => {
  const fromZoom = new ZoomTrayError('zoom', 'Zoom refused: \u001b]0;owned\u0007\u001b[2J');
  assert.equal(fromZoom.message, 'Zoom refused: \uFFFD]0;owned\uFFFD\uFFFD[2J');
  assert.match(describeError(new Error('bad \u001b[31mred')), /bad \uFFFD\[31mred/);
});

test('printable shows control characters instead of letting them act on a terminal', () => {
  assert.equal(printable('Standup \u001b[2J\u001b]0;pwned\u0007 \r\nnext'), 'Standup \uFFFD[2J\uFFFD]0;pwned\uFFFD \uFFFD\uFFFDnext');
  assert.equal(printable('Café 会议 ✓'), 'Café 会议 ✓');
  assert.equal(printable('\u202Egnp.exe'), '\uFFFDgnp.exe');
  assert.equal(printable('a\u061Cb\u2028c\u2029d'), 'a\uFFFDb\uFFFDc\uFFFDd', 'the Arabic letter mark, and line and paragraph separators');
});

test('an error keeps its cause, and the chain is told line by line', () => {
  const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  const err = new ZoomTrayError('network', 'Could not reach Zoom.', { cause: root });
  assert.equal(err.cause, root);
  assert.equal(errorChain(err), 'ZoomTrayError: Could not reach Zoom.\ncaused by Error [ECONNREFUSED]: connect ECONNREFUSED 127.0.0.1:9');
});

test('Retry-After: seconds, HTTP dates, garbage', () => {
  assert.equal(retryAfterSeconds('7'), 7);
  assert.equal(retryAfterSeconds(['3']), 3);
  assert.equal(retryAfterSeconds(new Date(10_000).toUTCString(), 4_000), 6);
  assert.equal(retryAfterSeconds('soon'), undefined);
  assert.equal(retryAfterSeconds(undefined), undefined);
});

// Found by test/fuzz/zoom-answers.test.ts (seed 17): a 503 whose message was "Zoom says no. "
// repeated over kilobytes was quoted whole ("Zoom refused your Zoom profile: …"), as were the token
// endpoint's reason and the revocation's error code: a proxy's 5 MB page went whole to stderr.
test("Zoom's own words are quoted to 200 characters at most, from the API and from the token endpoint", async () => {
  const { ZoomApi } = await import('../../main/zoom/api-client');
  const { OAuthClient } = await import('../../main/auth/oauth-client');
  const answering = (json: unknown, status = 503) => ({ send: async () => ({ status, headers: {}, json }), close: async () => undefined });
  const words = 'Zoom says no. '.repeat(100);
  const api = new ZoomApi({ apiBase: new URL('https://api.zoom.us/v2'), http: answering({ message: words }), tokens: { current: async () => 't', renew: async () => 't' } });
  await assert.rejects(api.me(), (err) => err instanceof ZoomTrayError && err.message === `Zoom refused your Zoom profile: ${words.slice(0, 200)}… (HTTP 503).`);
  const oauth = (json: unknown) => new OAuthClient({ oauthBase: new URL('https://zoom.us'), clientId: 'id', redirectUri: new URL('http://localhost:47615/oauth/callback'), http: answering(json, 400) });
  await assert.rejects(oauth({ error: 'invalid_request', reason: words }).refresh('r'), (err) => err instanceof ZoomTrayError && err.message === `Zoom refused the refresh request (${words.slice(0, 200)}…).`);
  await assert.rejects(oauth({ error: 'e'.repeat(500) }).revoke('r'), (err) => err instanceof ZoomTrayError && err.message === `Zoom did not confirm the revocation (HTTP 400, ${'e'.repeat(100)}…).`);
});

test('excerpt: short text as it is (printable), long text cut with "…", never half of a surrogate pair', async () => {
  const { excerpt } = await import('../../main/lib/redact');
  assert.equal(excerpt('short\u001b[31m', 80), 'short\uFFFD[31m');
  assert.equal(excerpt('abcdef', 3), 'abc…');
  assert.equal(excerpt('ab😀cd', 3), 'ab…');
  assert.equal(excerpt('abc', 3), 'abc');
});
