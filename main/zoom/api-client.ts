import { setTimeout as sleepMs } from 'node:timers/promises';
import { endpoint } from '../shared/urls';
import { ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import { excerpt, rememberSecret } from '../lib/redact';
import { type HttpClient, type HttpResponse, retryAfterSeconds } from './http';
import {
  apiError,
  createdMeeting,
  invitation,
  meetingDetails,
  meetingList,
  upcomingList,
  validMeetings,
  parseResponse,
  user,
  type ZoomMeeting,
  type ZoomUser,
  zakResponse,
} from './schemas';

/** Where the API client gets bearer tokens; the session implements it. */
export interface TokenSource {
  current(): Promise<string>;
  /** Called after a 401 with the token Zoom refused; returns a fresh one. */
  renew(stale: string): Promise<string>;
}

export interface ZoomApiOptions {
  readonly apiBase: URL;
  readonly http: HttpClient;
  readonly tokens: TokenSource;
  readonly sleep?: (ms: number) => Promise<unknown>;
  readonly now?: () => number;
}

export interface Zak {
  readonly token: string;
  /** Epoch milliseconds, from the ttl that was asked for. */
  readonly expiresAt: number;
}

type Query = Readonly<Record<string, string>>;

/** A click should not wait longer than this on Zoom's rate limit; beyond it, the user is told when to retry. */
const MAX_RETRY_WAIT_MS = 10_000;
const MAX_RATE_LIMIT_RETRIES = 2;
/** How much of Zoom's own message an error quotes. */
const ZOOM_WORDS = 200;
/** Zoom's code for a token that lacks a scope the endpoint needs. */
export const MISSING_SCOPE = 4711;

const NO_ZAK_MESSAGE =
  'Zoom gives no start key (ZAK) to accounts that sign in to Zoom with Google or Facebook. ' +
  'Sign in to Zoom with your email and a password instead (set one at zoom.us under Profile), then try again.';

export class ZoomApi {
  private readonly sleep: (ms: number) => Promise<unknown>;

  constructor(private readonly options: ZoomApiOptions) {
    this.sleep = options.sleep ?? sleepMs;
  }

  async me(): Promise<ZoomUser> {
    return parseResponse(user, await this.call('GET', 'users/me', 'your Zoom profile'), 'GET /users/me');
  }

  /** The user's own ZAK; `type=zak` always, since Zoom's default type is the deprecated `token`. */
  async zak(ttlSeconds: number): Promise<Zak> {
    const askedAt = (this.options.now ?? Date.now)();
    const json = await this.call('GET', 'users/me/token', 'your start key (ZAK)', { type: 'zak', ttl: String(ttlSeconds) });
    const { token } = parseResponse(zakResponse, json, 'GET /users/me/token');
    if (token === null) throw new ZoomTrayError('zoom', NO_ZAK_MESSAGE, { noZak: true });
    rememberSecret(token);
    return { token, expiresAt: askedAt + ttlSeconds * 1000 };
  }

  /** The user's own scheduled meetings still to come, all pages up to `maxPages` (page tokens expire after 15 min). */
  async hostedMeetings({ pageSize = 300, maxPages = 5 } = {}): Promise<ZoomMeeting[]> {
    const meetings: ZoomMeeting[] = [];
    let pageToken = '';
    for (let page = 0; page < maxPages; page++) {
      const query: Record<string, string> = { type: 'upcoming', page_size: String(pageSize) };
      if (pageToken) query.next_page_token = pageToken;
      const json = await this.call('GET', 'users/me/meetings', 'your upcoming meetings', query);
      const body = parseResponse(meetingList, json, 'GET /users/me/meetings');
      meetings.push(...usable(body.meetings, 'GET /users/me/meetings'));
      pageToken = body.next_page_token ?? '';
      if (!pageToken) break;
    }
    return meetings;
  }

  /**
   * The meetings of the next 24 hours that the user schedules and those they are invited to (one
   * list, no paging, nothing says who hosts which). Needs the scope meeting:read:list_upcoming_meetings.
   */
  async upcomingMeetings(): Promise<ZoomMeeting[]> {
    const json = await this.call('GET', 'users/me/upcoming_meetings', 'the meetings you are invited to');
    return usable(parseResponse(upcomingList, json, 'GET /users/me/upcoming_meetings').meetings, 'GET /users/me/upcoming_meetings');
  }

  /** Creates an instant meeting (type 1). Zoom allows 100 creates per user per day. */
  async createInstantMeeting(): Promise<{ id: string; joinUrl: string }> {
    const json = await this.call('POST', 'users/me/meetings', 'a new instant meeting', {}, { type: 1 });
    const body = parseResponse(createdMeeting, json, 'POST /users/me/meetings');
    return { id: body.id, joinUrl: body.join_url };
  }

  /** Zoom's invitation text for a meeting (or the personal room) of this user. */
  async invitation(id: string): Promise<string> {
    const json = await this.call('GET', `meetings/${encodeURIComponent(id)}/invitation`, "the meeting's invitation");
    return parseResponse(invitation, json, 'GET /meetings/{id}/invitation').invitation;
  }

  /** A meeting's passcode (none when the meeting has none). */
  async passcode(id: string): Promise<string | undefined> {
    const json = await this.call('GET', `meetings/${encodeURIComponent(id)}`, "the meeting's passcode");
    return parseResponse(meetingDetails, json, 'GET /meetings/{id}').password || undefined;
  }

  private async call(method: 'GET' | 'POST', path: string, what: string, query: Query = {}, body?: unknown): Promise<unknown> {
    const url = endpoint(this.options.apiBase, path);
    url.search = new URLSearchParams(query).toString();
    let token = await this.options.tokens.current();
    let renewals = 0;
    let rateLimitRetries = 0;
    for (;;) {
      const res = await this.options.http.send({
        method,
        url,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (res.status >= 200 && res.status < 300) return res.json;
      // Expired or revoked access token (code 124): renew and retry. The first renewal may adopt a
      // token another process just saved; if Zoom refuses that one too, the second one refreshes.
      if (res.status === 401 && renewals < 2) {
        token = await this.options.tokens.renew(token);
        renewals++;
        continue;
      }
      if (res.status === 429) {
        const waitS = retryAfterSeconds(res.headers['retry-after']);
        const waitMs = waitS === undefined ? 1000 * 2 ** rateLimitRetries : waitS * 1000;
        if (rateLimitRetries < MAX_RATE_LIMIT_RETRIES && waitMs <= MAX_RETRY_WAIT_MS) {
          rateLimitRetries++;
          await this.sleep(waitMs);
          continue;
        }
        throw rateLimitError(res, what, waitS);
      }
      throw refusal(res, what);
    }
  }
}

/** The meetings of a list that are meetings; the others are left out and counted in the log (never their content). */
function usable(items: readonly unknown[], what: string): ZoomMeeting[] {
  const { meetings, dropped } = validMeetings(items);
  if (dropped > 0) log.warn(`${what}: ${dropped} of ${items.length} items were not meetings and are left out`);
  return meetings;
}

function zoomMessage(res: HttpResponse): { code?: number; message: string } {
  const parsed = apiError.safeParse(res.json);
  // Zoom's words, or whatever stands in its place (a proxy's page of megabytes): a part at most.
  const message = parsed.success && parsed.data.message ? excerpt(parsed.data.message, ZOOM_WORDS) : `HTTP ${res.status}`;
  return { ...(parsed.success && parsed.data.code !== undefined ? { code: parsed.data.code } : {}), message };
}

function rateLimitError(res: HttpResponse, what: string, retryAfter: number | undefined): ZoomTrayError {
  const { message } = zoomMessage(res);
  const when = retryAfter === undefined ? 'in a few seconds' : `in ${retryAfter} second${retryAfter === 1 ? '' : 's'}`;
  return new ZoomTrayError('zoom', `Zoom's rate limit was reached while getting ${what} (${message}). Try again ${when}.`, {
    zoomCode: 429,
    rateLimited: retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter },
  });
}

function refusal(res: HttpResponse, what: string): ZoomTrayError {
  const { code, message } = zoomMessage(res);
  const details = code === undefined ? {} : { zoomCode: code };
  // Zoom answers 400 (code 4711, "does not contain scopes:[…]") when the app was not given a scope.
  if (code === MISSING_SCOPE) {
    return new ZoomTrayError(
      'zoom',
      `Your Zoom app lacks the scope for ${what} (${message}). Add the scope on the app's Scopes page in the Zoom App Marketplace, then sign in again.`,
      details,
    );
  }
  if (res.status === 401) {
    return new ZoomTrayError('signed-out', `Zoom rejected this sign-in (${message}). Run \`zoom-tray login\` to sign in again.`, details);
  }
  const codePart = code === undefined ? '' : `, code ${code}`;
  return new ZoomTrayError('zoom', `Zoom refused ${what}: ${message} (HTTP ${res.status}${codePart}).`, details);
}
