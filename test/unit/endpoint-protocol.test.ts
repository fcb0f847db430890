import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configDigest, MAX_ANSWER_BYTES, MAX_REQUEST_BYTES, parseAnswer, parseRequest, requestLine } from '../../main/endpoint/protocol';

const CONFIG = 'a'.repeat(64);

test('a request is one JSON line with the version; the tray reads back exactly what the CLI wrote', () => {
  const line = requestLine({ command: 'start-print', config: CONFIG, target: { kind: 'id', id: '81234567890' }, account: { email: 'Jane@example.com', cloud: 'gov' } });
  assert.equal(line, `{"v":1,"command":"start-print","config":"${CONFIG}","target":{"kind":"id","id":"81234567890"},"account":{"email":"Jane@example.com","cloud":"gov"}}\n`);
  assert.deepEqual(parseRequest(line.trimEnd()), { ok: true, value: { command: 'start-print', config: CONFIG, target: { kind: 'id', id: '81234567890' }, account: { email: 'Jane@example.com', cloud: 'gov' } } });
  assert.deepEqual(parseRequest(`{"v":1,"command":"accounts-json","config":"${CONFIG}"}`), { ok: true, value: { command: 'accounts-json', config: CONFIG } });
  for (const command of ['meetings-json', 'join-next'] as const) {
    assert.deepEqual(parseRequest(requestLine({ command, config: CONFIG }).trimEnd()), { ok: true, value: { command, config: CONFIG } });
    assert.deepEqual(parseRequest(`{"v":1,"command":"${command}","config":"${CONFIG}","account":{"email":"j@x"}}`), { ok: false, why: 'bad-request' });
  }
});

test('a request that is not exactly one of ours is declined with a reason, never thrown', () => {
  const start = (fields: string): string => `{"v":1,"command":"start-print","config":"${CONFIG}",${fields}}`;
  const declined: [string, string][] = [
    ['not JSON', 'bad-request'],
    ['[1,2]', 'bad-request'],
    ['null', 'bad-request'],
    [`{"v":2,"command":"accounts-json","config":"${CONFIG}"}`, 'version'],
    [`{"command":"accounts-json","config":"${CONFIG}"}`, 'version'],
    [`{"v":1,"command":"logout","config":"${CONFIG}"}`, 'bad-request'],
    [`{"v":1,"command":"accounts-json","config":"not hex"}`, 'bad-request'],
    [`{"v":1,"command":"accounts-json","config":"${CONFIG}","extra":1}`, 'bad-request'],
    [`{"v":1,"command":"accounts-json","config":"${CONFIG}","__proto__":{"x":1}}`, 'bad-request'],
    [start('"target":{"kind":"instant"}'), 'bad-request'],
    [start('"target":{"kind":"id","id":"12345678"}'), 'bad-request'],
    [start('"target":{"kind":"id","id":"1234567890; rm"}'), 'bad-request'],
    [start('"target":{"kind":"pmi","id":"123456789"}'), 'bad-request'],
    [start('"target":{"kind":"pmi"},"account":{"email":""}'), 'bad-request'],
    [start(`"target":{"kind":"pmi"},"account":{"email":"${'x'.repeat(321)}"}`), 'bad-request'],
    [start('"target":{"kind":"pmi"},"account":{"email":"a@b.c","cloud":"mars"}'), 'bad-request'],
    [start('"target":{"kind":"pmi"},"account":{"email":"a@b.c","entry":"session"}'), 'bad-request'],
    [start('"target":{"kind":"pmi"},"account":"a@b.c"'), 'bad-request'],
    [' '.repeat(MAX_REQUEST_BYTES + 1), 'too-large'],
  ];
  for (const [line, why] of declined) assert.deepEqual(parseRequest(line), { ok: false, why }, line.slice(0, 80));
});

test('an answer prints only printable lines ending with a line end; anything else is no answer', () => {
  assert.deepEqual(parseAnswer('{"v":1,"ok":true,"stdout":"https://zoom.us/s/1?zak=z\\n"}'), { ok: true, stdout: 'https://zoom.us/s/1?zak=z\n' });
  assert.deepEqual(parseAnswer('{"v":1,"ok":true,"stdout":"[\\n  {}\\n]\\n"}'), { ok: true, stdout: '[\n  {}\n]\n' });
  assert.deepEqual(parseAnswer('{"v":1,"ok":false,"why":"not-held"}'), { ok: false, why: 'not-held' });
  // join next: the link to open, and its name.
  assert.deepEqual(parseAnswer('{"v":1,"ok":true,"stdout":"https://zoom.us/j/1?pwd=p\\n","what":"\\"Vendor\\" (1)"}'), { ok: true, stdout: 'https://zoom.us/j/1?pwd=p\n', what: '"Vendor" (1)' });
  for (const line of [
    '{"v":1,"ok":true,"stdout":"file:///etc/passwd\\n","what":"x"}',
    '{"v":1,"ok":true,"stdout":"javascript:alert(1)\\n","what":"x"}',
    '{"v":1,"ok":true,"stdout":"not a link\\n","what":"x"}',
    '{"v":1,"ok":true,"stdout":"https://zoom.us/j/1\\nhttps://zoom.us/j/2\\n","what":"x"}',
    '{"v":1,"ok":true,"stdout":"https://zoom.us/j/1\\n","what":"\\u001b[8mhidden"}',
    '{"v":1,"ok":true,"stdout":"https://zoom.us/j/1\\n","what":"two\\nlines"}',
    '{"v":1,"ok":true,"stdout":"https://zoom.us/j/1\\n","what":1}',
  ]) {
    assert.equal(parseAnswer(line), undefined, line);
  }
  for (const line of [
    '{"v":1,"ok":true,"stdout":"no line end"}',
    '{"v":1,"ok":true,"stdout":"\\u001b]0;title\\u0007\\n"}',
    '{"v":1,"ok":true,"stdout":"tab\\there\\n"}',
    '{"v":1,"ok":true,"stdout":"carriage\\r\\n"}',
    '{"v":1,"ok":true,"stdout":"bidi \\u202e reversed\\n"}',
    '{"v":1,"ok":true,"stdout":42}',
    '{"v":1,"ok":true,"stdout":"x\\n","stderr":"y\\n"}',
    '{"v":1,"ok":false,"why":"because"}',
    '{"v":2,"ok":true,"stdout":"x\\n"}',
    '{"ok":true,"stdout":"x\\n"}',
    'HTTP/1.1 200 OK',
    `{"v":1,"ok":true,"stdout":"${'x'.repeat(MAX_ANSWER_BYTES)}\\n"}`,
  ]) {
    assert.equal(parseAnswer(line), undefined, line.slice(0, 80));
  }
});

test("the configuration digest follows Zoom's settings and the keychain service, not secrets, the log level or anything else", () => {
  const env = { ZOOM_CLIENT_ID: 'abc', ZOOM_API_URL: 'http://127.0.0.1:1/v2', ZOOM_TRAY_KEYCHAIN_SERVICE: 's', PATH: '/bin' };
  const base = configDigest(env);
  assert.match(base, /^[0-9a-f]{64}$/);
  assert.equal(configDigest({ ZOOM_TRAY_KEYCHAIN_SERVICE: 's', ZOOM_API_URL: 'http://127.0.0.1:1/v2', ZOOM_CLIENT_ID: 'abc' }), base, 'order and other variables do not count');
  assert.equal(configDigest({ ...env, ZOOM_CLIENT_SECRET: 'x', ZOOM_GOV_CLIENT_SECRET: 'y', ZOOM_TRAY_LOG: 'debug', HOME: '/h' }), base);
  for (const changed of [{ ZOOM_CLIENT_ID: 'abd' }, { ZOOM_API_URL: 'http://127.0.0.1:2/v2' }, { ZOOM_TRAY_KEYCHAIN_SERVICE: 't' }, { ZOOM_GOV_CLIENT_ID: 'g' }]) {
    assert.notEqual(configDigest({ ...env, ...changed }), base, JSON.stringify(changed));
  }
});
