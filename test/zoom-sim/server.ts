/**
 * A loopback stand-in for Zoom's OAuth server, REST API and start page, faithful to
 * ../shared/zoom-api.md: PKCE, single-use codes, exact redirect-URI match, refresh-token rotation
 * with reuse rejected, access-token expiry (401/124), 429 + Retry-After, null ZAK for
 * Google/Facebook users, 404/1001, revoke, instant and upcoming meetings with paging, and the
 * next 24 hours' own and invited meetings (`/users/me/upcoming_meetings`).
 * Several users: consent is given by whoever `signInAs` (or the `/signin` page) chose, and every
 * token, ZAK and meeting belongs to one user, as on Zoom.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimClient {
  readonly clientId: string;
  /** Absent: a public PKCE client (client_id in the form, no Basic header). */
  readonly clientSecret?: string;
  readonly redirectUris: readonly string[];
}

export interface SimUser {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  pmi: number;
  /** The personal room's passcode; empty: none. */
  pmi_password: string;
  timezone: string;
  account_id: string;
  /** 'google' and 'facebook' users get a null ZAK, as on Zoom. */
  login: 'password' | 'google' | 'facebook';
}

export interface SimMeeting {
  id: number;
  topic: string;
  type: 2 | 8;
  start_time: string;
  duration: number;
  timezone: string;
  /** Absent: a passcode made from the id; empty: the meeting has none. */
  password?: string;
}

/**
 * How an answer is spoiled: the connection dropped, never answered, a 200 with a body that is not
 * JSON, a body of `hugeBytes`, a 503, or an error that echoes the request's secrets back.
 */
export type Spoil = 'drop' | 'stall' | 'garble' | 'huge' | 'server-error' | 'echo';

/** One spoiled answer for the next request of a kind. `after`: Zoom did the work (a refresh rotated) first. */
export interface SimFault {
  readonly on: 'token' | 'api' | 'revoke';
  readonly when: 'before' | 'after';
  readonly spoil: Spoil;
}

export interface SimFaults {
  /** Spoiled answers, each used by the next matching request. */
  queue: SimFault[];
  /** Size of a 'huge' body. */
  hugeBytes: number;
  /** The next `count` API calls answer 429; `retryAfter` seconds in Retry-After when set. */
  rateLimit: { count: number; retryAfter?: number };
  /** Every user endpoint answers 404 / code 1001. */
  userDeleted: boolean;
  /** The token endpoint answers 503 this many times. */
  tokenServerErrors: number;
  /** The revoke endpoint refuses the client (the public-client revoke form is unconfirmed). */
  revokeRefused: boolean;
  /** Granular scopes the app was not given: their endpoints answer 400 / code 4711. */
  missingScopes: string[];
  /** The network is down: every OAuth and API connection is dropped before Zoom sees it. */
  offline: boolean;
}

/** One OAuth or API request, at the simulator's time: its route, whose it was, and how it was answered (0: dropped or spoiled). */
export interface SimRequest {
  readonly at: number;
  readonly route: string;
  user?: string;
  status: number;
}

export interface SimStats {
  /** Every request to the OAuth and API endpoints (token, revoke, /v2/…): what costs a round trip. */
  requests: number;
  codeExchanges: number;
  /** API calls answered 401 (expired or unknown access token). */
  unauthorized: number;
  refreshes: number;
  rejectedRefreshes: number;
  revocations: number;
  apiCalls: Record<string, number>;
  /** Meeting ids whose start page was opened with a valid ZAK. */
  started: string[];
  /** The same starts, with the email of the user whose ZAK started each. */
  startedBy: Array<{ id: string; email: string }>;
  /** Every OAuth and API request, in order (what `requests` counts). */
  log: SimRequest[];
}

/**
 * A user after the first. Missing fields default from its place n (2, 3, …): id `sim-user-n`,
 * email `user.n@example.com`, name `User n`, the first unused PMI from 5551234567 + n - 1, and two
 * meetings with ids 80_000_000_000 + n × 10_000_000 + 1 and + 2 (distinct per user).
 */
export type SimUserOptions = Partial<SimUser> & { readonly meetings?: readonly SimMeeting[]; readonly invitations?: readonly SimMeeting[] };

export interface SimOptions {
  readonly clients?: readonly SimClient[];
  readonly user?: Partial<SimUser>;
  readonly meetings?: readonly SimMeeting[];
  /** Meetings someone outside the simulation hosts and the first user is invited to (none by default). */
  readonly invitations?: readonly SimMeeting[];
  /** Users after the first (`user` and `meetings` above). Ids, emails, PMIs and meeting ids must be distinct. */
  readonly users?: readonly SimUserOptions[];
  readonly accessTokenTtlSeconds?: number;
  /** Zoom's tokens look like JWTs; 'opaque' proves redaction does not rely on that shape. */
  readonly tokenShape?: 'jwt' | 'opaque';
  /** Added before every OAuth and API answer: a real network's round trip, for the benchmarks. */
  readonly latencyMs?: number;
  /**
   * Consent is taken as given: the authorize page redirects at once with a code, as Zoom does for an
   * app the user already allowed. For sign-ins with no browser to click Allow (`npm run sim -- --auto-approve`).
   */
  readonly autoApprove?: boolean;
  /** The simulator's clock (expiries, the next 24 hours, the log): a test whose app runs on another clock hands it that one. */
  readonly now?: () => number;
}

/** Holds token requests until the test opens it: real overlap, with no sleep standing in for it. */
export interface Gate {
  /** Resolves once `count` token requests are being held. */
  arrived(count: number): Promise<void>;
  open(): void;
}

export interface ZoomSim {
  readonly origin: string;
  readonly oauthBase: string;
  readonly apiBase: string;
  readonly clients: SimClient[];
  /** The first user, `users[0]`. */
  readonly user: SimUser;
  /** The first user's meetings, `meetingsOf(user.email)`. */
  readonly meetings: SimMeeting[];
  /** Every user, the first one first. A user pushed here later starts with no meetings. */
  readonly users: SimUser[];
  readonly faults: SimFaults;
  readonly stats: SimStats;
  /** A user's scheduled meetings (the live array). Throws for an unknown email. */
  meetingsOf(email: string): SimMeeting[];
  /** The meetings others host that a user is invited to (the live array). Throws for an unknown email. */
  invitationsOf(email: string): SimMeeting[];
  /** Who is signed in to zoom.us in the browser: the next consents grant this user. Default: the first. */
  signInAs(email: string): void;
  /** Every code, token and ZAK issued so far (all users), to prove none leaks into output. */
  secrets(): string[];
  /** Live refresh tokens (one per grant), to check what the keychain holds; of one user when `email` is given. */
  liveRefreshTokens(email?: string): string[];
  /** Expires every access token, or only those of the user with `email`. */
  expireAccessTokens(email?: string): void;
  /** The user removed the app at Zoom: their grants (everyone's, without `email`) stop working. */
  revokeGrants(email?: string): void;
  /** Zoom's "Sign me out from all devices": existing ZAKs stop working (of one user when `email` is given). */
  invalidateZaks(email?: string): void;
  /** Holds every token request from now until the gate is opened. */
  gateTokens(): Gate;
  close(): Promise<void>;
}

interface Grant {
  readonly clientId: string;
  readonly user: SimUser;
  revoked: boolean;
}

const HOUR_S = 3599;
const CODE_TTL_MS = 5 * 60_000;
const PAGE_TOKEN_TTL_MS = 15 * 60_000;
const SCOPES = 'meeting:read meeting:write user:read';

/**
 * Zoom's tokens are JWTs of some 600–700 characters; the simulator's look alike, so redaction and the
 * keychain's size limits (Windows: 2560 bytes per credential) meet the real shape and length.
 */
function jwtLike(kind: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS512', v: '2.0', kid: kind })).toString('base64url');
  return `${header}.${randomBytes(380).toString('base64url')}.${randomBytes(64).toString('base64url')}`;
}

function defaultMeetings(now: number): SimMeeting[] {
  const at = (minutes: number): string => new Date(Math.floor((now + minutes * 60_000) / 60_000) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [
    { id: 81234567890, topic: 'Design review', type: 2, start_time: at(90), duration: 45, timezone: 'UTC' },
    { id: 82345678901, topic: 'Weekly sync', type: 8, start_time: at(60 * 20), duration: 30, timezone: 'UTC' },
    { id: 83456789012, topic: 'Planning', type: 2, start_time: at(60 * 24 * 3), duration: 60, timezone: 'UTC' },
  ];
}

/** The default meetings of the n-th user (n ≥ 2): ids clear of the first user's (812…, 823…, 834…). */
function extraMeetings(n: number, name: string, now: number): SimMeeting[] {
  const at = (minutes: number): string => new Date(Math.floor((now + minutes * 60_000) / 60_000) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const base = 80_000_000_000 + n * 10_000_000;
  return [
    { id: base + 1, topic: `${name}: 1:1`, type: 2, start_time: at(120 + n), duration: 30, timezone: 'UTC' },
    { id: base + 2, topic: `${name}: Retro`, type: 2, start_time: at(60 * 48 + n), duration: 60, timezone: 'UTC' },
  ];
}

/** Throws when two users share a value that must identify one user or one meeting. */
function assertDistinct(what: string, values: readonly (string | number)[]): void {
  const seen = new Set<string>();
  for (const v of values) {
    const key = String(v).toLowerCase();
    if (seen.has(key)) throw new Error(`zoom-sim: two users share the ${what} ${String(v)}`);
    seen.add(key);
  }
}

export async function startZoomSim(options: SimOptions = {}): Promise<ZoomSim> {
  const clients: SimClient[] = [...(options.clients ?? [{ clientId: 'sim-client', redirectUris: ['http://localhost:47615/oauth/callback'] }])];
  const clock = options.now ?? Date.now;
  const now = clock();
  const user: SimUser = {
    id: 'sim-user-1',
    email: 'jane.doe@example.com',
    first_name: 'Jane',
    last_name: 'Doe',
    pmi: 5551234567,
    pmi_password: 'pmi-pass',
    timezone: 'UTC',
    account_id: 'sim-account',
    login: 'password',
    ...options.user,
  };
  const meetings: SimMeeting[] = [...(options.meetings ?? defaultMeetings(now))];
  const users: SimUser[] = [user];
  // Keyed by the user object, not the email: tests may change a user's fields after the start.
  const meetingsByUser = new Map<SimUser, SimMeeting[]>([[user, meetings]]);
  const invitationsByUser = new Map<SimUser, SimMeeting[]>([[user, [...(options.invitations ?? [])]]]);
  const explicitPmis = new Set([user.pmi, ...(options.users ?? []).flatMap((u) => (u.pmi === undefined ? [] : [u.pmi]))]);
  for (const [i, { meetings: own, invitations, ...fields }] of (options.users ?? []).entries()) {
    const n = i + 2;
    let pmi = 5551234567 + n - 1;
    while (fields.pmi === undefined && (explicitPmis.has(pmi) || users.some((u) => u.pmi === pmi))) pmi++;
    const extra: SimUser = {
      id: `sim-user-${n}`,
      email: `user.${n}@example.com`,
      first_name: 'User',
      last_name: String(n),
      pmi,
      pmi_password: `pmi-pass-${n}`,
      timezone: 'UTC',
      account_id: 'sim-account',
      login: 'password',
      ...fields,
    };
    users.push(extra);
    meetingsByUser.set(extra, [...(own ?? extraMeetings(n, `${extra.first_name} ${extra.last_name}`, now))]);
    invitationsByUser.set(extra, [...(invitations ?? [])]);
  }
  assertDistinct('id', users.map((u) => u.id));
  assertDistinct('email', users.map((u) => u.email));
  // PMIs and meeting ids share the start page's /s/<id>: one id, one meeting, one host.
  assertDistinct('meeting id or PMI', users.flatMap((u) => [u.pmi, ...(meetingsByUser.get(u) ?? []).map((m) => m.id)]));
  const meetingsFor = (u: SimUser): SimMeeting[] => {
    let own = meetingsByUser.get(u);
    if (!own) meetingsByUser.set(u, (own = []));
    return own;
  };
  const invitationsFor = (u: SimUser): SimMeeting[] => {
    let invited = invitationsByUser.get(u);
    if (!invited) invitationsByUser.set(u, (invited = []));
    return invited;
  };
  const userByEmail = (email: string): SimUser => {
    const found = users.find((u) => u.email.toLowerCase() === email.toLowerCase());
    if (!found) throw new Error(`zoom-sim: no user ${email}`);
    return found;
  };
  /** undefined: everyone; otherwise only that user (throws for an unknown email). */
  const onlyUser = (email: string | undefined): ((u: SimUser) => boolean) => {
    if (email === undefined) return () => true;
    const target = userByEmail(email);
    return (u) => u === target;
  };
  let signedIn: SimUser = user;
  const faults: SimFaults = { queue: [], hugeBytes: 8 * 1024 * 1024, rateLimit: { count: 0 }, userDeleted: false, tokenServerErrors: 0, revokeRefused: false, missingScopes: [], offline: false };
  const stats: SimStats = { requests: 0, codeExchanges: 0, unauthorized: 0, refreshes: 0, rejectedRefreshes: 0, revocations: 0, apiCalls: {}, started: [], startedBy: [], log: [] };
  let gate: { held: Array<() => void>; waiters: Array<{ count: number; resolve: () => void }> } | undefined;
  const accessTtlMs = (options.accessTokenTtlSeconds ?? HOUR_S) * 1000;

  const codes = new Map<string, { clientId: string; user: SimUser; redirectUri: string; challenge: string; method: string; expiresAt: number; used: boolean }>();
  const grants: Grant[] = [];
  const refreshTokens = new Map<string, { grant: Grant; used: boolean }>();
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  const zaks = new Map<string, { user: SimUser; expiresAt: number; valid: boolean }>();
  const pageTokens = new Map<string, { user: SimUser; offset: number; expiresAt: number }>();
  /** Instant meeting id → its host. */
  const instantMeetings = new Map<string, SimUser>();
  const hosts = (u: SimUser, id: string): boolean =>
    String(u.pmi) === id || instantMeetings.get(id) === u || meetingsFor(u).some((m) => String(m.id) === id);
  const issued: string[] = [];
  const issue = (kind: string): string => {
    const token = options.tokenShape === 'opaque' ? randomBytes(32).toString('hex') : jwtLike(kind);
    issued.push(token);
    return token;
  };

  /** Answers that a fault spoils once Zoom's side of the work is done. */
  const spoilAfter = new WeakMap<http.ServerResponse, { spoil: Spoil; echo: string }>();
  const spoil = (res: http.ServerResponse, how: Spoil, echo: string): void => {
    switch (how) {
      case 'drop':
        res.socket?.destroy();
        return;
      case 'stall':
        return; // never answered; closed with the simulator
      case 'garble':
        res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' });
        res.end('{"access_token": "eyJ');
        return;
      case 'server-error':
        res.writeHead(503, { 'Content-Type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify({ reason: 'Service Unavailable', error: 'server_error', code: 503, message: 'Service Unavailable' }));
        return;
      case 'echo':
        res.writeHead(400, { 'Content-Type': 'application/json;charset=UTF-8' });
        res.end(JSON.stringify({ reason: `Invalid request: ${echo}`, error: 'invalid_request', code: 300, message: `Invalid request: ${echo}` }));
        return;
      case 'huge': {
        res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let left = faults.hugeBytes;
        const pump = (): void => {
          while (left > 0 && !res.destroyed) {
            left -= chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.socket?.on('close', () => (left = 0));
        pump();
        return;
      }
    }
  };
  /** Each OAuth and API request's entry in the log, by its response. */
  const logged = new WeakMap<http.ServerResponse, SimRequest>();
  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const spoiled = spoilAfter.get(res);
    if (spoiled) return spoil(res, spoiled.spoil, spoiled.echo);
    const entry = logged.get(res);
    if (entry) entry.status = status;
    res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', ...headers });
    res.end(JSON.stringify(body));
  };
  const page = (res: http.ServerResponse, status: number, title: string, body: string): void => {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`);
  };
  const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  /** A request's body, read once (a fault may read it before the handler does). */
  const bodies = new WeakMap<http.IncomingMessage, Promise<string>>();
  const readBody = (req: http.IncomingMessage): Promise<string> => {
    const known = bodies.get(req);
    if (known) return known;
    const body = new Promise<string>((resolve, reject) => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (data += chunk));
      req.on('end', () => resolve(data));
      req.on('error', reject);
    });
    bodies.set(req, body);
    return body;
  };

  /** Client authentication: Basic for confidential clients, client_id in the form for public ones. */
  const authenticateClient = (req: http.IncomingMessage, form: URLSearchParams): SimClient | undefined => {
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const [id, secret] = Buffer.from(header.slice(6), 'base64').toString().split(':');
      return clients.find((c) => c.clientId === id && c.clientSecret !== undefined && c.clientSecret === secret);
    }
    return clients.find((c) => c.clientId === form.get('client_id') && c.clientSecret === undefined);
  };

  const tokensFor = (grant: Grant): Record<string, unknown> => {
    const access = issue('access');
    const refresh = issue('refresh');
    accessTokens.set(access, { grant, expiresAt: clock() + accessTtlMs });
    refreshTokens.set(refresh, { grant, used: false });
    return { access_token: access, token_type: 'bearer', refresh_token: refresh, expires_in: accessTtlMs / 1000, scope: SCOPES, api_url: origin };
  };

  const authorize = (url: URL, res: http.ServerResponse): void => {
    const q = url.searchParams;
    const client = clients.find((c) => c.clientId === q.get('client_id'));
    if (!client) return page(res, 400, 'Invalid client_id', '<p>Error 4702: invalid client_id.</p>');
    if (!client.redirectUris.includes(q.get('redirect_uri') ?? '')) {
      return page(res, 400, 'Redirect URI mismatch', '<p>Error 4709: Redirect URI mismatch.</p>');
    }
    if (q.get('response_type') !== 'code') return page(res, 400, 'Unsupported response type', '');
    const method = q.get('code_challenge_method') ?? 'plain';
    if (method !== 'S256' && method !== 'plain') return page(res, 400, 'Invalid code_challenge_method', '');
    if (options.autoApprove) return redirectWithCode(res, client, q.get('redirect_uri') ?? '', q.get('state'), q.get('code_challenge') ?? '', method);
    const hidden = ['client_id', 'redirect_uri', 'state', 'code_challenge']
      .map((k) => `<input type="hidden" name="${k}" value="${escape(q.get(k) ?? '')}">`)
      .join('');
    page(
      res,
      200,
      'Allow zoom-tray to access your Zoom account?',
      `<p>Signed in to Zoom as ${escape(signedIn.email)}.</p><form method="post" action="/oauth/authorize/decision">${hidden}` +
        `<input type="hidden" name="code_challenge_method" value="${method}">` +
        '<button name="decision" value="allow">Allow</button> <button name="decision" value="deny">Decline</button></form>',
    );
  };

  const decide = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const form = new URLSearchParams(await readBody(req));
    const redirectUri = form.get('redirect_uri') ?? '';
    const client = clients.find((c) => c.clientId === form.get('client_id'));
    if (!client?.redirectUris.includes(redirectUri)) return page(res, 400, 'Redirect URI mismatch', '');
    if (form.get('decision') === 'allow') {
      return redirectWithCode(res, client, redirectUri, form.get('state'), form.get('code_challenge') ?? '', form.get('code_challenge_method') ?? 'plain');
    }
    const target = new URL(redirectUri);
    if (form.get('state')) target.searchParams.set('state', form.get('state') ?? '');
    target.searchParams.set('error', 'access_denied');
    res.writeHead(302, { Location: target.href });
    res.end();
  };

  /** Consent given: a code for whoever is signed in to the browser now, redirected to the app. */
  const redirectWithCode = (res: http.ServerResponse, client: SimClient, redirectUri: string, state: string | null, challenge: string, method: string): void => {
    const target = new URL(redirectUri);
    if (state) target.searchParams.set('state', state);
    const code = randomBytes(24).toString('base64url');
    issued.push(code);
    codes.set(code, { clientId: client.clientId, user: signedIn, redirectUri, challenge, method, expiresAt: clock() + CODE_TTL_MS, used: false });
    target.searchParams.set('code', code);
    res.writeHead(302, { Location: target.href });
    res.end();
  };

  /** zoom.us's own sign-in, reduced to picking a user: who the next consent is given by. */
  const signInPage = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (req.method === 'POST') {
      const email = new URLSearchParams(await readBody(req)).get('email') ?? '';
      const found = users.find((u) => u.email.toLowerCase() === email.toLowerCase());
      if (!found) return page(res, 404, 'No such user', `<p>${escape(email)} is not a user of this simulator.</p>`);
      signedIn = found;
    }
    const choices = users
      .map((u) => `<form method="post" action="/signin"><button name="email" value="${escape(u.email)}">Sign in as ${escape(u.email)}</button></form>`)
      .join('');
    page(res, 200, `Signed in to Zoom as ${escape(signedIn.email)}`, choices);
  };

  const token = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const form = new URLSearchParams(await readBody(req));
    if (gate) {
      const g = gate;
      await new Promise<void>((release) => {
        g.held.push(release);
        for (const w of g.waiters.filter((x) => g.held.length >= x.count)) w.resolve();
      });
    }
    if (faults.tokenServerErrors > 0) {
      faults.tokenServerErrors--;
      return send(res, 503, { reason: 'Service Unavailable', error: 'server_error' });
    }
    const client = authenticateClient(req, form);
    if (!client) return send(res, 401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      stats.codeExchanges++;
      const entry = codes.get(form.get('code') ?? '');
      if (!entry || entry.used || entry.expiresAt < clock() || entry.clientId !== client.clientId) {
        if (entry) entry.used = true;
        return send(res, 400, { reason: 'Invalid authorization code', error: 'invalid_grant' });
      }
      entry.used = true;
      if (form.get('redirect_uri') !== entry.redirectUri) return send(res, 400, { reason: 'Redirect URI mismatch.', error: 'invalid_request' });
      const verifier = form.get('code_verifier') ?? '';
      issued.push(verifier);
      const expected = entry.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (!entry.challenge || expected !== entry.challenge) return send(res, 400, { reason: 'Invalid code_verifier', error: 'invalid_request' });
      const grant: Grant = { clientId: client.clientId, user: entry.user, revoked: false };
      grants.push(grant);
      return send(res, 200, tokensFor(grant));
    }
    if (grantType === 'refresh_token') {
      stats.refreshes++;
      const entry = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!entry || entry.used || entry.grant.revoked || entry.grant.clientId !== client.clientId) {
        stats.rejectedRefreshes++;
        return send(res, 400, { reason: 'Invalid Token!', error: 'invalid_grant' });
      }
      // Rotation: the previous refresh token stops working at once; no grace period.
      entry.used = true;
      const line = logged.get(res);
      if (line) line.user = entry.grant.user.email;
      return send(res, 200, tokensFor(entry.grant));
    }
    send(res, 400, { reason: 'Unsupported grant type', error: 'unsupported_grant_type' });
  };

  const revoke = async (req: http.IncomingMessage, url: URL, res: http.ServerResponse): Promise<void> => {
    const form = new URLSearchParams(await readBody(req));
    const client = authenticateClient(req, form);
    if (!client) return send(res, 401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    if (faults.revokeRefused) return send(res, 400, { reason: 'Revocation is not supported for this client', error: 'invalid_request' });
    const value = url.searchParams.get('token') ?? form.get('token') ?? '';
    const grant = accessTokens.get(value)?.grant ?? refreshTokens.get(value)?.grant;
    if (!grant || grant.revoked) return send(res, 400, { reason: 'Invalid Token!', error: 'invalid_grant' });
    grant.revoked = true;
    stats.revocations++;
    send(res, 200, { status: 'success' });
  };

  const api = async (req: http.IncomingMessage, url: URL, res: http.ServerResponse): Promise<void> => {
    const route = `${req.method} ${url.pathname}`;
    stats.apiCalls[route] = (stats.apiCalls[route] ?? 0) + 1;
    const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1] ?? '';
    const access = accessTokens.get(bearer);
    if (!access || access.grant.revoked || access.expiresAt <= clock()) {
      stats.unauthorized++;
      return send(res, 401, { code: 124, message: access && !access.grant.revoked ? 'Access token is expired.' : 'Invalid access token.' });
    }
    if (faults.rateLimit.count > 0) {
      faults.rateLimit.count--;
      const headers: Record<string, string> = { 'X-RateLimit-Category': 'Light', 'X-RateLimit-Type': 'QPS' };
      if (faults.rateLimit.retryAfter !== undefined) headers['Retry-After'] = String(faults.rateLimit.retryAfter);
      return send(res, 429, { code: 429, message: 'You have reached the maximum per-second rate limit for this API. Try again later.' }, headers);
    }
    // Every /users/me… answer is about the user whose consent made the token's grant.
    const user = access.grant.user;
    const entry = logged.get(res);
    if (entry) entry.user = user.email;
    if (faults.userDeleted) return send(res, 404, { code: 1001, message: `User does not exist: ${user.email}.` });
    if (route === 'GET /v2/users/me') {
      return send(res, 200, { ...user, type: 2, use_pmi: false, personal_meeting_url: `${origin}/j/${user.pmi}`, status: 'active' });
    }
    if (route === 'GET /v2/users/me/token') {
      const type = url.searchParams.get('type') ?? 'token';
      if (type !== 'zak') return send(res, 200, { token: issue('legacy-token') });
      if (user.login !== 'password') return send(res, 200, { token: null });
      const ttl = Number(url.searchParams.get('ttl') ?? 7200);
      const zak = issue('zak');
      zaks.set(zak, { user, expiresAt: clock() + ttl * 1000, valid: true });
      return send(res, 200, { token: zak });
    }
    if (route === 'GET /v2/users/me/meetings') {
      const size = Math.min(300, Math.max(1, Number(url.searchParams.get('page_size') ?? 30)));
      let offset = 0;
      const pageToken = url.searchParams.get('next_page_token');
      if (pageToken) {
        const entry = pageTokens.get(pageToken);
        if (!entry || entry.expiresAt < clock() || entry.user !== user) return send(res, 400, { code: 300, message: 'The next page token is invalid or expired.' });
        offset = entry.offset;
      }
      const sorted = [...meetingsFor(user)].sort((a, b) => a.start_time.localeCompare(b.start_time));
      const slice = sorted.slice(offset, offset + size);
      const body: Record<string, unknown> = {
        page_size: size,
        total_records: sorted.length,
        meetings: slice.map((m) => ({ uuid: randomBytes(12).toString('base64'), host_id: user.id, ...m, created_at: m.start_time, join_url: `${origin}/j/${m.id}` })),
        next_page_token: '',
      };
      if (offset + size < sorted.length) {
        const next = randomBytes(16).toString('base64url');
        pageTokens.set(next, { user, offset: offset + size, expiresAt: clock() + PAGE_TOKEN_TTL_MS });
        body.next_page_token = next;
      }
      return send(res, 200, body);
    }
    // Own and invited meetings of the next 24 hours, one page; nothing says who hosts which, and
    // each uuid differs from the hosted list's (as Zoom's do for the same meeting).
    if (route === 'GET /v2/users/me/upcoming_meetings') {
      const scope = 'meeting:read:list_upcoming_meetings';
      if (faults.missingScopes.includes(scope)) return send(res, 400, { code: 4711, message: `Invalid access token, does not contain scopes:[${scope}].` });
      const horizon = clock() + 24 * 60 * 60_000;
      const soon = (m: SimMeeting): boolean => Date.parse(m.start_time) + m.duration * 60_000 > clock() && Date.parse(m.start_time) <= horizon;
      const item = (m: SimMeeting, link: string) => ({ uuid: randomBytes(12).toString('base64'), ...m, created_at: m.start_time, join_url: link });
      const listed = [
        ...meetingsFor(user).filter(soon).map((m) => item(m, `${origin}/j/${m.id}`)),
        ...invitationsFor(user).filter(soon).map((m) => item(m, joinUrl({ id: m.id, password: m.password ?? `p${String(m.id).slice(-6)}` }))),
      ].sort((a, b) => a.start_time.localeCompare(b.start_time));
      return send(res, 200, { total_records: listed.length, meetings: listed.map(({ password: _password, ...m }) => m) });
    }
    // A meeting (or the personal room) of the token's user: its details, or Zoom's invitation text.
    const meetingPath = /^\/v2\/meetings\/(\d+)(\/invitation)?$/.exec(url.pathname);
    if (req.method === 'GET' && meetingPath) {
      const [, id = '', invitation] = meetingPath;
      const scope = invitation ? 'meeting:read:invitation' : 'meeting:read:meeting';
      if (faults.missingScopes.includes(scope)) return send(res, 400, { code: 4711, message: `Invalid access token, does not contain scopes:[${scope}].` });
      const details = meetingOf(user, id);
      if (!details) return send(res, 404, { code: 3001, message: `Meeting does not exist: ${id}.` });
      if (!invitation) return send(res, 200, { ...details, join_url: joinUrl(details) });
      const passcode = details.password ? `Passcode: ${details.password}\r\n` : '';
      const time = details.start_time ? `Time: ${details.start_time} ${details.timezone}\r\n` : '';
      const kind = details.start_time ? 'a scheduled' : 'a';
      return send(res, 200, {
        invitation:
          `${user.first_name} ${user.last_name} is inviting you to ${kind} Zoom meeting.\r\n\r\nTopic: ${details.topic}\r\n${time}\r\n` +
          `Join Zoom Meeting\r\n${joinUrl(details)}\r\n\r\nMeeting ID: ${spaced(id)}\r\n${passcode}\r\n`,
      });
    }
    if (route === 'POST /v2/users/me/meetings') {
      const body = JSON.parse((await readBody(req)) || '{}') as { type?: number };
      if (body.type !== 1) return send(res, 400, { code: 300, message: 'The simulator creates instant meetings (type 1) only.' });
      let id: string;
      do id = String(randomInt(80_000_000_000, 89_999_999_999));
      while (known(id));
      instantMeetings.set(id, user);
      const zak = issue('zak');
      zaks.set(zak, { user, expiresAt: clock() + 7_200_000, valid: true });
      return send(res, 201, {
        id: Number(id),
        host_id: user.id,
        topic: 'Zoom meeting',
        type: 1,
        start_url: `${origin}/s/${id}?zak=${zak}`,
        join_url: `${origin}/j/${id}?pwd=${randomBytes(8).toString('hex')}`,
        password: randomBytes(4).toString('hex'),
      });
    }
    send(res, 404, { code: 404, message: 'Not found.' });
  };

  /** The meeting `id` as its host sees it (the personal room included); undefined for anyone else's. */
  const meetingOf = (u: SimUser, id: string): { id: number; topic: string; start_time?: string; timezone: string; password: string } | undefined => {
    if (String(u.pmi) === id) return { id: u.pmi, topic: `${u.first_name} ${u.last_name}'s Personal Meeting Room`, timezone: u.timezone, password: u.pmi_password };
    const m = meetingsFor(u).find((x) => String(x.id) === id);
    return m && { ...m, password: m.password ?? `p${String(m.id).slice(-6)}` };
  };
  /** Zoom's join links carry the passcode encrypted; this one is merely encoded. */
  const joinUrl = (m: { id: number; password: string }): string =>
    `${origin}/j/${m.id}${m.password ? `?pwd=${Buffer.from(m.password).toString('base64url')}` : ''}`;
  const spaced = (id: string): string => (id.length === 11 ? `${id.slice(0, 3)} ${id.slice(3, 7)} ${id.slice(7)}` : `${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`);

  const known = (id: string): boolean => instantMeetings.has(id) || users.some((u) => hosts(u, id));

  const startPage = (url: URL, res: http.ServerResponse): void => {
    const id = url.pathname.slice('/s/'.length);
    const zak = zaks.get(url.searchParams.get('zak') ?? '');
    if (!known(id)) return page(res, 404, 'Meeting not found', '');
    if (!zak || !zak.valid || zak.expiresAt <= clock()) return page(res, 401, 'Sign in to start this meeting', '<p>The start link has expired.</p>');
    // A ZAK proves who you are, not that you may host: another user's meeting is refused.
    if (!hosts(zak.user, id)) return page(res, 403, 'You are not the host of this meeting', '<p>Sign in as the host to start it.</p>');
    stats.started.push(id);
    stats.startedBy.push({ id, email: zak.user.email });
    page(res, 200, `Meeting ${id} started`, '<p>Launching Zoom…</p>');
  };

  const faultFor = (pathname: string): SimFault | undefined => {
    const on = pathname === '/oauth/token' ? 'token' : pathname === '/oauth/revoke' ? 'revoke' : pathname.startsWith('/v2/') ? 'api' : undefined;
    const at = faults.queue.findIndex((f) => f.on === on);
    return at < 0 ? undefined : faults.queue.splice(at, 1)[0];
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const fault = faultFor(url.pathname);
    const handle = async (): Promise<void> => {
      if (url.pathname === '/oauth/token' || url.pathname === '/oauth/revoke' || url.pathname.startsWith('/v2/')) {
        stats.requests++;
        const entry: SimRequest = { at: clock(), route: `${req.method} ${url.pathname}`, status: 0 };
        stats.log.push(entry);
        logged.set(res, entry);
        if (faults.offline) return void res.socket?.destroy();
        if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      }
      if (fault) {
        // What a careless server echoes: every value the client sent, secrets included.
        const sent = [...new URLSearchParams(await readBody(req)).values(), ...url.searchParams.values(), req.headers.authorization ?? ''];
        const echo = sent.filter(Boolean).join(' ');
        if (fault.when === 'before') return spoil(res, fault.spoil, echo);
        spoilAfter.set(res, { spoil: fault.spoil, echo });
      }
      return route();
    };
    const route = async (): Promise<void> => {
      if (req.method === 'GET' && url.pathname === '/oauth/authorize') return authorize(url, res);
      if (req.method === 'POST' && url.pathname === '/oauth/authorize/decision') return decide(req, res);
      if (url.pathname === '/signin' && (req.method === 'GET' || req.method === 'POST')) return signInPage(req, res);
      if (req.method === 'POST' && url.pathname === '/oauth/token') return token(req, res);
      if (req.method === 'POST' && url.pathname === '/oauth/revoke') return revoke(req, url, res);
      if (url.pathname.startsWith('/v2/')) return api(req, url, res);
      if (req.method === 'GET' && url.pathname.startsWith('/s/')) return startPage(url, res);
      send(res, 404, { code: 404, message: 'Not found.' });
    };
    handle().catch((err: unknown) => send(res, 500, { code: 500, message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    oauthBase: origin,
    apiBase: `${origin}/v2`,
    clients,
    user,
    meetings,
    users,
    faults,
    stats,
    meetingsOf: (email) => meetingsFor(userByEmail(email)),
    invitationsOf: (email) => invitationsFor(userByEmail(email)),
    signInAs: (email) => {
      signedIn = userByEmail(email);
    },
    secrets: () => [...issued, ...clients.flatMap((c) => (c.clientSecret ? [c.clientSecret] : []))],
    liveRefreshTokens: (email) => {
      const of = onlyUser(email);
      return [...refreshTokens].filter(([, e]) => !e.used && !e.grant.revoked && of(e.grant.user)).map(([t]) => t);
    },
    revokeGrants: (email) => {
      const of = onlyUser(email);
      for (const grant of grants) if (of(grant.user)) grant.revoked = true;
    },
    expireAccessTokens: (email) => {
      const of = onlyUser(email);
      for (const entry of accessTokens.values()) if (of(entry.grant.user)) entry.expiresAt = clock();
    },
    invalidateZaks: (email) => {
      const of = onlyUser(email);
      for (const entry of zaks.values()) if (of(entry.user)) entry.valid = false;
    },
    gateTokens: () => {
      const g: NonNullable<typeof gate> = { held: [], waiters: [] };
      gate = g;
      return {
        arrived: (count) => new Promise<void>((resolve) => (g.held.length >= count ? resolve() : g.waiters.push({ count, resolve }))),
        open: () => {
          if (gate === g) gate = undefined;
          for (const release of g.held.splice(0)) release();
        },
      };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
