import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { challengeS256, createState, createVerifier } from '../../main/auth/pkce';
import { consentOverHttp } from '../harness/fixtures';
import { startZoomSim, type SimMeeting, type SimOptions, type ZoomSim } from '../zoom-sim/server';

/** A loopback redirect listener that keeps each code under its `state`, as the app's listener would. */
async function callbackListener(t: TestContext): Promise<{ redirectUri: string; codes: Map<string, string> }> {
  const codes = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const state = url.searchParams.get('state');
    const code = url.searchParams.get('code');
    if (state && code) codes.set(state, code);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { redirectUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/callback`, codes };
}

interface Cloud {
  readonly sim: ZoomSim;
  /** Consents on the sim's page as whoever is signed in, exchanges the code; the access token. */
  grant(): Promise<string>;
}

/** A simulator with one public PKCE client whose redirect lands on a listener of the test's own. */
async function cloud(t: TestContext, options: SimOptions = {}, clientId = 'multi-client'): Promise<Cloud> {
  const { redirectUri, codes } = await callbackListener(t);
  const sim = await startZoomSim({ ...options, clients: [{ clientId, redirectUris: [redirectUri] }] });
  t.after(() => sim.close());
  const grant = async (): Promise<string> => {
    const verifier = createVerifier();
    const state = createState();
    const url = new URL('/oauth/authorize', sim.oauthBase);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      state,
      code_challenge: challengeS256(verifier),
      code_challenge_method: 'S256',
    }).toString();
    await consentOverHttp(url);
    const code = codes.get(state);
    assert.ok(code, 'the consent redirected a code to the listener');
    const res = await fetch(new URL('/oauth/token', sim.oauthBase), {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, client_id: clientId }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as { access_token: string }).access_token;
  };
  return { sim, grant };
}

async function api<T>(sim: ZoomSim, token: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${sim.apiBase}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as T };
}

const me = async (sim: ZoomSim, token: string) => (await api<{ id: string; email: string; pmi: number }>(sim, token, '/users/me')).body;
const zak = async (sim: ZoomSim, token: string): Promise<string> => {
  const { status, body } = await api<{ token: string }>(sim, token, '/users/me/token?type=zak');
  assert.equal(status, 200);
  return body.token;
};
const meetingIds = async (sim: ZoomSim, token: string): Promise<number[]> =>
  (await api<{ meetings: Array<{ id: number }> }>(sim, token, '/users/me/meetings?type=upcoming&page_size=300')).body.meetings.map((m) => m.id);

/** The start page's status and <title>. */
async function open(sim: ZoomSim, id: string | number, withZak: string): Promise<{ status: number; title: string }> {
  const res = await fetch(`${sim.origin}/s/${id}?zak=${encodeURIComponent(withZak)}`);
  return { status: res.status, title: (await res.text()).match(/<title>(.*?)<\/title>/)?.[1] ?? '' };
}

const BOB = 'bob.roe@example.com';
const bobMeetings: SimMeeting[] = [
  { id: 87000000001, topic: 'Bob: budget', type: 2, start_time: new Date(Date.now() + 3_600_000).toISOString(), duration: 30, timezone: 'UTC' },
  { id: 87000000002, topic: 'Bob: hiring', type: 8, start_time: new Date(Date.now() + 7_200_000).toISOString(), duration: 30, timezone: 'UTC' },
];
const twoUsers: SimOptions = { users: [{ email: BOB, first_name: 'Bob', last_name: 'Roe', pmi: 5559990000, meetings: bobMeetings }] };

test('signInAs picks whose consent makes the grant; each token answers for its own user', async (t) => {
  const { sim, grant } = await cloud(t, twoUsers);
  const jane = sim.user;
  const [first, bob] = sim.users;
  assert.equal(first, jane, 'users[0] is sim.user');
  assert.equal(sim.meetingsOf(jane.email), sim.meetings, 'the first user’s meetings are sim.meetings');
  assert.ok(bob);

  sim.signInAs(BOB);
  const consent = await (await fetch(`${sim.oauthBase}/oauth/authorize?response_type=code&client_id=multi-client&redirect_uri=${encodeURIComponent(sim.clients[0]?.redirectUris[0] ?? '')}`)).text();
  assert.match(consent, /Signed in to Zoom as bob\.roe@example\.com/);
  const bobToken = await grant();
  sim.signInAs(jane.email);
  const janeToken = await grant();

  const [janeMe, bobMe] = [await me(sim, janeToken), await me(sim, bobToken)];
  assert.deepEqual([janeMe.email, janeMe.pmi, janeMe.id], [jane.email, jane.pmi, jane.id]);
  assert.deepEqual([bobMe.email, bobMe.pmi, bobMe.id], [BOB, 5559990000, bob.id]);
  assert.notEqual(bob.id, jane.id);

  assert.deepEqual(await meetingIds(sim, janeToken), sim.meetings.map((m) => m.id));
  assert.deepEqual(await meetingIds(sim, bobToken), [87000000001, 87000000002]);
  sim.meetings.push({ id: 89000000009, topic: 'added later', type: 2, start_time: new Date(Date.now() + 9e8).toISOString(), duration: 5, timezone: 'UTC' });
  assert.ok((await meetingIds(sim, janeToken)).includes(89000000009), 'sim.meetings stays the live list of the first user');
  assert.ok(!(await meetingIds(sim, bobToken)).includes(89000000009));

  // Paging is per user: Bob's page token means nothing to Jane's token.
  const page = await api<{ next_page_token: string; meetings: Array<{ id: number; host_id: string }> }>(sim, bobToken, '/users/me/meetings?page_size=1');
  assert.deepEqual(page.body.meetings.map((m) => [m.id, m.host_id]), [[87000000001, bob.id]]);
  assert.ok(page.body.next_page_token);
  assert.equal((await api(sim, janeToken, `/users/me/meetings?page_size=1&next_page_token=${page.body.next_page_token}`)).status, 400);
  const next = await api<{ meetings: Array<{ id: number }> }>(sim, bobToken, `/users/me/meetings?page_size=1&next_page_token=${page.body.next_page_token}`);
  assert.deepEqual(next.body.meetings.map((m) => m.id), [87000000002]);

  const [janeZak, bobZak] = [await zak(sim, janeToken), await zak(sim, bobToken)];
  assert.notEqual(janeZak, bobZak);
  for (const secret of [janeToken, bobToken, janeZak, bobZak]) assert.ok(sim.secrets().includes(secret), 'secrets() covers every user');
});

test("a ZAK starts its own user's meetings only; another user's answer 403 and are not recorded", async (t) => {
  const { sim, grant } = await cloud(t, twoUsers);
  const jane = sim.user;
  const janeZak = await zak(sim, await grant());
  sim.signInAs(BOB);
  const bobZak = await zak(sim, await grant());
  const janeMeeting = sim.meetings[0]?.id ?? 0;

  assert.deepEqual(await open(sim, jane.pmi, janeZak), { status: 200, title: `Meeting ${jane.pmi} started` });
  const refused = { status: 403, title: 'You are not the host of this meeting' };
  assert.deepEqual(await open(sim, 5559990000, janeZak), refused, "Jane's ZAK on Bob's PMI");
  assert.deepEqual(await open(sim, 87000000001, janeZak), refused, "Jane's ZAK on Bob's meeting");
  assert.deepEqual(await open(sim, janeMeeting, bobZak), refused, "Bob's ZAK on Jane's meeting");
  assert.equal((await open(sim, 87000000002, bobZak)).status, 200);
  assert.equal((await open(sim, janeMeeting, janeZak)).status, 200);

  assert.deepEqual(sim.stats.started, [String(jane.pmi), '87000000002', String(janeMeeting)]);
  assert.deepEqual(sim.stats.startedBy, [
    { id: String(jane.pmi), email: jane.email },
    { id: '87000000002', email: BOB },
    { id: String(janeMeeting), email: jane.email },
  ]);

  // The older answers stay: unknown meeting 404 before the ZAK is looked at, bad ZAK 401.
  assert.equal((await open(sim, 12345, janeZak)).status, 404);
  assert.equal((await open(sim, 5559990000, 'not-a-zak')).status, 401);
  sim.invalidateZaks(BOB);
  assert.equal((await open(sim, 5559990000, bobZak)).status, 401, "Bob's ZAKs were invalidated");
  assert.equal((await open(sim, jane.pmi, janeZak)).status, 200, "Jane's were not");
  sim.invalidateZaks();
  assert.equal((await open(sim, jane.pmi, janeZak)).status, 401, 'no argument: everyone');
  assert.equal(sim.stats.started.length, 4);
});

test('an instant meeting belongs to the user who created it', async (t) => {
  const { sim, grant } = await cloud(t, twoUsers);
  const janeZak = await zak(sim, await grant());
  sim.signInAs(BOB);
  const bobToken = await grant();
  const created = await api<{ id: number; host_id: string; start_url: string }>(sim, bobToken, '/users/me/meetings', { method: 'POST', body: JSON.stringify({ type: 1 }) });
  assert.equal(created.status, 201);
  assert.equal(created.body.host_id, sim.users[1]?.id);
  assert.equal((await open(sim, created.body.id, janeZak)).status, 403, "Jane cannot start Bob's instant meeting");
  assert.equal((await fetch(created.body.start_url)).status, 200);
  assert.equal((await open(sim, created.body.id, await zak(sim, bobToken))).status, 200, "Bob's own ZAK starts it too");
  assert.deepEqual(sim.stats.startedBy.map((s) => s.email), [BOB, BOB]);
  assert.deepEqual(sim.stats.startedBy.map((s) => s.id), [String(created.body.id), String(created.body.id)]);
});

test('the first user is signed in until signInAs says otherwise; unknown emails throw', async (t) => {
  const { sim, grant } = await cloud(t, { user: { email: 'first@example.com', pmi: 5550000001 }, users: [{ email: BOB }, {}] });
  assert.equal((await me(sim, await grant())).email, 'first@example.com');
  assert.throws(() => sim.signInAs('nobody@example.com'), /no user nobody@example\.com/);
  assert.equal((await me(sim, await grant())).email, 'first@example.com', 'a failed signInAs changes nothing');
  sim.signInAs(sim.users[2]?.email ?? '');
  assert.equal((await me(sim, await grant())).pmi, sim.users[2]?.pmi);
  assert.throws(() => sim.meetingsOf('nobody@example.com'));
  assert.throws(() => sim.expireAccessTokens('nobody@example.com'));
});

test('extra users get distinct defaults and meetings; clashing ids are refused', async (t) => {
  const { sim } = await cloud(t, { users: [{}, { pmi: 5551234568 }, {}] }); // the second's default PMI is taken by the third
  const ids = sim.users.map((u) => u.id);
  const emails = sim.users.map((u) => u.email);
  const pmis = sim.users.map((u) => u.pmi);
  assert.equal(new Set(ids).size, 4);
  assert.equal(new Set(emails).size, 4);
  assert.deepEqual(pmis, [5551234567, 5551234569, 5551234568, 5551234570]);
  assert.deepEqual(sim.users.map((u) => u.login), ['password', 'password', 'password', 'password']);
  const allMeetingIds = sim.users.flatMap((u) => sim.meetingsOf(u.email).map((m) => m.id));
  assert.equal(new Set([...allMeetingIds, ...pmis]).size, allMeetingIds.length + pmis.length, 'no meeting id or PMI is shared');
  for (const u of sim.users.slice(1)) assert.ok(sim.meetingsOf(u.email).length > 0, `${u.email} has default meetings`);

  await assert.rejects(startZoomSim({ users: [{ email: 'jane.doe@example.com' }] }), /share the email/);
  await assert.rejects(startZoomSim({ users: [{ meetings: [{ ...bobMeetings[0]!, id: 81234567890 }] }] }), /share the meeting id/);
  await assert.rejects(startZoomSim({ users: [{ pmi: 5551234567 }] }), /share the meeting id or PMI/);
});

test("tokens and refresh tokens of one user can be expired or listed without touching another's", async (t) => {
  const { sim, grant } = await cloud(t, twoUsers);
  const janeToken = await grant();
  sim.signInAs(BOB);
  const bobToken = await grant();
  assert.equal(sim.liveRefreshTokens().length, 2);
  assert.equal(sim.liveRefreshTokens(BOB).length, 1);
  assert.notDeepEqual(sim.liveRefreshTokens(BOB), sim.liveRefreshTokens(sim.user.email));

  sim.expireAccessTokens(BOB);
  assert.equal((await api(sim, bobToken, '/users/me')).status, 401);
  assert.equal((await api(sim, janeToken, '/users/me')).status, 200);
  sim.expireAccessTokens();
  assert.equal((await api(sim, janeToken, '/users/me')).status, 401);

  sim.faults.userDeleted = true;
  const fresh = await grant();
  assert.deepEqual((await api(sim, fresh, '/users/me')).body, { code: 1001, message: `User does not exist: ${BOB}.` });
});

test('two simulators in one process are independent clouds', async (t) => {
  const a = await cloud(t, twoUsers, 'same-client');
  const b = await cloud(t, { user: { email: 'eu.user@example.eu', pmi: 5557770000 } }, 'same-client');
  assert.notEqual(a.sim.origin, b.sim.origin);
  a.sim.signInAs(BOB);
  const aToken = await a.grant();
  const bToken = await b.grant();
  assert.equal((await me(a.sim, aToken)).email, BOB);
  assert.equal((await me(b.sim, bToken)).email, 'eu.user@example.eu', "a's signInAs does not reach b");
  assert.equal((await api(b.sim, aToken, '/users/me')).status, 401, "a's token means nothing to b");
  assert.throws(() => b.sim.signInAs(BOB));

  const aZak = await zak(a.sim, aToken);
  const bZak = await zak(b.sim, bToken);
  assert.equal((await open(b.sim, 5557770000, aZak)).status, 401, "a's ZAK is unknown at b");
  assert.equal((await open(b.sim, 5557770000, bZak)).status, 200);
  assert.deepEqual(a.sim.stats.started, []);
  assert.deepEqual(b.sim.stats.startedBy, [{ id: '5557770000', email: 'eu.user@example.eu' }]);
  assert.equal(a.sim.stats.codeExchanges, 1);
  assert.equal(b.sim.stats.codeExchanges, 1);
  assert.ok(!b.sim.secrets().includes(aToken));
  a.sim.expireAccessTokens();
  assert.equal((await api(b.sim, bToken, '/users/me')).status, 200, "expiring a's tokens leaves b's");
});

/** An authorize URL for the test's listener, with a PKCE pair; the code's exchange as a function. */
function authorizeRequest(sim: ZoomSim, clientId = 'multi-client'): { url: string; state: string; exchange(code: string): Promise<Response> } {
  const verifier = createVerifier();
  const state = createState();
  const redirectUri = sim.clients[0]?.redirectUris[0] ?? '';
  const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, state, code_challenge: challengeS256(verifier), code_challenge_method: 'S256' });
  return {
    url: `${sim.oauthBase}/oauth/authorize?${query}`,
    state,
    exchange: (code) =>
      fetch(new URL('/oauth/token', sim.oauthBase), {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, client_id: clientId }),
      }),
  };
}

test('autoApprove: the authorize page redirects at once with a code for the signed-in user; without it, the consent form', async (t) => {
  const plain = await cloud(t, twoUsers);
  const form = await fetch(authorizeRequest(plain.sim).url, { redirect: 'manual' });
  assert.equal(form.status, 200);
  assert.match(await form.text(), /name="decision" value="allow"/);

  const auto = await cloud(t, { ...twoUsers, autoApprove: true });
  auto.sim.signInAs(BOB);
  const request = authorizeRequest(auto.sim);
  const answer = await fetch(request.url, { redirect: 'manual' });
  assert.equal(answer.status, 302);
  const location = new URL(answer.headers.get('location') ?? '');
  assert.equal(`${location.origin}${location.pathname}`, auto.sim.clients[0]?.redirectUris[0]);
  assert.equal(location.searchParams.get('state'), request.state);
  const code = location.searchParams.get('code') ?? '';
  const token = await request.exchange(code);
  assert.equal(token.status, 200, 'the code passes PKCE like one from the form');
  assert.equal((await me(auto.sim, ((await token.json()) as { access_token: string }).access_token)).email, BOB);
  assert.equal((await fetch(`${auto.sim.oauthBase}/oauth/authorize?response_type=code&client_id=nobody&redirect_uri=x`, { redirect: 'manual' })).status, 400, 'an unknown client still gets the error page');
});

test('the /signin page switches who consents, for a browser or curl; an unknown email changes nothing', async (t) => {
  const { sim, grant } = await cloud(t, twoUsers);
  const listed = await (await fetch(`${sim.origin}/signin`)).text();
  assert.match(listed, /Signed in to Zoom as jane\.doe@example\.com/);
  assert.match(listed, /value="bob\.roe@example\.com"/);
  const switched = await fetch(`${sim.origin}/signin`, { method: 'POST', body: new URLSearchParams({ email: 'BOB.roe@example.com' }) });
  assert.equal(switched.status, 200);
  assert.match(await switched.text(), /<title>Signed in to Zoom as bob\.roe@example\.com</);
  assert.equal((await me(sim, await grant())).email, BOB);
  const unknown = await fetch(`${sim.origin}/signin`, { method: 'POST', body: new URLSearchParams({ email: 'nobody@example.com' }) });
  assert.equal(unknown.status, 404);
  assert.equal((await me(sim, await grant())).email, BOB, 'still Bob');
});
