// What Zoom answers (or a proxy, or a hostile network in its place): any status, any JSON, any
// Retry-After. Each call gives its value or the project's error (zoom, signed-out), whose message
// quotes Zoom's words in part at most; the meetings it lists link only to Zoom or the web base.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { OAuthClient } from '../../main/auth/oauth-client';
import { mergeZoomLists } from '../../main/meetings/zoom-meetings';
import { ZoomApi } from '../../main/zoom/api-client';
import { readCapped, TooLarge } from '../../main/lib/net';
import { type HttpClient, type HttpResponse, retryAfterSeconds } from '../../main/zoom/http';
import * as schemas from '../../main/zoom/schemas';
import { assertZoomUrl, bulky, FIVE_MB, holds, holdsAsync, outcome, outcomeAsync, outsideText, timed } from './properties';

const id = fc.oneof(fc.integer({ min: -1, max: 2 ** 53 + 10 }), fc.constantFrom(81234567890, 1e21, 1.5, '81234567890', '0', '', '12a', '١٢٣'), fc.double());
const text = fc.oneof(fc.constantFrom('', 'Standup', '2026-12-08T10:00:00Z', 'not a date', 'https://us06web.zoom.us/j/81234567890?pwd=x', 'https://evil.example/j/1', 'https://a..zoom.us/j/1', 'javascript:alert(1)'), outsideText([], 6));
const meeting = fc.record({ id, topic: fc.oneof(text, fc.jsonValue()), type: fc.oneof(fc.constantFrom(1, 2, 8), fc.jsonValue()), start_time: fc.oneof(text, fc.jsonValue()), duration: fc.oneof(fc.integer({ min: -5, max: 10_000 }), fc.jsonValue()), join_url: fc.oneof(text, fc.webUrl(), fc.jsonValue()) }, { requiredKeys: [] });
/** A body: Zoom's shapes with any values, Zoom's error shape with long messages, or any JSON. */
const body = fc.oneof(
  fc.record({ meetings: fc.oneof(fc.array(fc.oneof(meeting, fc.jsonValue()), { maxLength: 6 }), fc.jsonValue()), next_page_token: fc.oneof(fc.constantFrom('', 'tok'), fc.jsonValue()) }, { requiredKeys: [] }),
  fc.record({ id: fc.oneof(text, id), email: text, pmi: id, personal_meeting_url: text, token: fc.oneof(text, fc.constant(null)), invitation: text, password: text, join_url: text }, { requiredKeys: [] }),
  fc.record({ access_token: text, refresh_token: text, expires_in: fc.oneof(fc.double(), fc.integer()), error: text, reason: text }, { requiredKeys: [] }),
  fc.record({ code: fc.oneof(fc.constantFrom(124, 4711, 300), fc.integer(), fc.double()), message: fc.oneof(text, bulky(fc.constantFrom('Zoom says no. '))) }, { requiredKeys: [] }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(undefined),
);
const status = fc.oneof(fc.constantFrom(200, 201, 204, 400, 401, 404, 429, 500, 503), fc.integer({ min: 100, max: 599 }));
const retryAfter = fc.option(fc.oneof(fc.constantFrom('0', '1', '3', '120', ' 5 ', '-1', '1e3', 'Wed, 21 Oct 2015 07:28:00 GMT'), outsideText([], 3), fc.array(fc.constantFrom('1', '2'))), { nil: undefined });
const answer = fc.record({ status, json: body, headers: fc.record({ 'retry-after': retryAfter }) });

/** Answers in turn from the list, the last one again once it runs out. */
function fakeHttp(answers: readonly HttpResponse[]): HttpClient & { sent: number } {
  return {
    sent: 0,
    async send() {
      return answers[Math.min(this.sent++, answers.length - 1)] as HttpResponse;
    },
    close: async () => undefined,
  };
}

const api = (http: HttpClient): ZoomApi =>
  new ZoomApi({ apiBase: new URL('https://api.zoom.us/v2'), http, tokens: { current: async () => 'access-token', renew: async () => 'fresher-token' }, sleep: async () => undefined, now: () => 0 });

const CALLS: [string, (zoom: ZoomApi) => Promise<unknown>][] = [
  ['me', (z) => z.me()],
  ['zak', (z) => z.zak(7200)],
  ['hostedMeetings', (z) => z.hostedMeetings({ maxPages: 3 })],
  ['upcomingMeetings', (z) => z.upcomingMeetings()],
  ['createInstantMeeting', (z) => z.createInstantMeeting()],
  ['invitation', (z) => z.invitation('81234567890')],
  ['passcode', (z) => z.passcode('81234567890')],
];

test('Retry-After and a body read under its cap: a wait in whole seconds or none, the text or TooLarge', async () => {
  holds(
    fc.property(retryAfter, fc.integer({ min: 0, max: 2 ** 40 }), (header, now) => {
      const wait = retryAfterSeconds(header, now);
      assert.ok(wait === undefined || (Number.isInteger(wait) && wait >= 0) || wait === Infinity, String(wait));
    }),
  );
  await holdsAsync(
    fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), fc.integer({ min: 0, max: 300 }), fc.option(fc.oneof(fc.nat().map(String), fc.string(), fc.array(fc.string())), { nil: undefined }), async (chunks, max, declared) => {
      const size = chunks.reduce((sum, c) => sum + c.length, 0);
      async function* body(): AsyncIterable<Buffer> {
        for (const c of chunks) yield Buffer.from(c);
      }
      try {
        const text = await readCapped(body(), max, declared);
        assert.ok(size <= max && text === Buffer.concat(chunks.map((c) => Buffer.from(c))).toString('utf8'));
      } catch (err) {
        assert.ok(err instanceof TooLarge && (size > max || Number(declared) > max), String(err));
      }
    }),
  );
});

test("every schema: Zoom's answer, or a zoom error naming the field and never its value", () => {
  type Schema = Parameters<typeof schemas.parseResponse>[0];
  const named = Object.entries(schemas).flatMap(([name, value]) => (typeof (value as { safeParse?: unknown }).safeParse === 'function' ? [[name, value as Schema] as const] : []));
  holds(
    fc.property(fc.constantFrom(...named), body, ([name, schema], value) => {
      outcome(() => schemas.parseResponse(schema, value, name), ['zoom']);
    }),
  );
});

test('every API call: its value or a zoom or signed-out error, after a bounded number of requests, whatever Zoom answers', async () => {
  await holdsAsync(
    fc.asyncProperty(fc.constantFrom(...CALLS), fc.array(answer, { minLength: 1, maxLength: 5 }), async ([, call], answers) => {
      const http = fakeHttp(answers as HttpResponse[]);
      await outcomeAsync(() => call(api(http)), ['zoom', 'signed-out']);
      assert.ok(http.sent <= 6, `${http.sent} requests`);
    }),
  );
});

test('the meetings Zoom lists: IDs of digits, and links only to Zoom or the web base', async () => {
  const links = { webBase: new URL('https://zoom.us'), origins: [] };
  await holdsAsync(
    fc.asyncProperty(fc.array(answer.map((a) => ({ ...a, status: 200 })), { minLength: 1, maxLength: 3 }), async (answers) => {
      const listed = await outcomeAsync(async () => mergeZoomLists(await api(fakeHttp(answers as HttpResponse[])).hostedMeetings({ maxPages: 2 }), [], undefined, links), ['zoom']);
      if (!listed.ok) return;
      for (const m of listed.value) {
        assert.match(m.id, /^\d+$/);
        if (m.joinUrl !== undefined) assertZoomUrl(m.joinUrl);
      }
    }),
  );
});

test("sign-in, refresh and revocation: tokens, or the project's error, whatever the token endpoint answers", async () => {
  const client = (http: HttpClient): OAuthClient => new OAuthClient({ oauthBase: new URL('https://zoom.us'), clientId: 'id', redirectUri: new URL('http://localhost:47615/oauth/callback'), http, now: () => 0 });
  await holdsAsync(
    fc.asyncProperty(fc.constantFrom('exchange', 'refresh', 'revoke'), answer, async (what, reply) => {
      const oauth = client(fakeHttp([reply as HttpResponse]));
      const run: () => Promise<unknown> = what === 'exchange' ? () => oauth.exchangeCode('the-code', 'the-verifier') : what === 'refresh' ? () => oauth.refresh('the-refresh-token') : () => oauth.revoke('the-token');
      await outcomeAsync(run, ['zoom', 'signed-out']);
    }),
  );
});

test("5 MB answers: a list of meetings is read, and Zoom's 5 MB error message is quoted in part, within the bound", async (t) => {
  const many = Array.from({ length: 25_000 }, (_, i) => ({ id: 81234567890 + i, topic: 'x'.repeat(150), type: 2, start_time: '2026-12-08T10:00:00Z', duration: 30, join_url: `https://zoom.us/j/${81234567890 + i}` }));
  const list = await timed(t, 'hostedMeetings, 25,000 meetings', () => api(fakeHttp([{ status: 200, headers: {}, json: { meetings: many } }])).hostedMeetings());
  assert.equal(list.length, 25_000);
  const huge = { status: 400, headers: {}, json: { code: 300, message: 'm'.repeat(FIVE_MB) } };
  await timed(t, "Zoom's 5 MB error message", () => outcomeAsync(() => api(fakeHttp([huge])).me(), ['zoom']));
  const oauth = new OAuthClient({ oauthBase: new URL('https://zoom.us'), clientId: 'id', redirectUri: new URL('http://localhost:47615/oauth/callback'), http: fakeHttp([{ status: 400, headers: {}, json: { error: 'invalid_request', reason: 'r'.repeat(FIVE_MB) } }]) });
  await timed(t, "the token endpoint's 5 MB reason", () => outcomeAsync(() => oauth.refresh('the-refresh-token'), ['zoom']));
  const revoking = new OAuthClient({ oauthBase: new URL('https://zoom.us'), clientId: 'id', redirectUri: new URL('http://localhost:47615/oauth/callback'), http: fakeHttp([{ status: 400, headers: {}, json: { error: 'e'.repeat(FIVE_MB) } }]) });
  await timed(t, "the revocation's 5 MB error", () => outcomeAsync(() => revoking.revoke('the-token'), ['zoom']));
});
