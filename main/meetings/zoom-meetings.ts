import { isZoomTrayError } from '../lib/errors';
import type { AccountRef } from '../shared/clouds';
import { MISSING_SCOPE } from '../zoom/api-client';
import type { ZoomMeeting } from '../zoom/schemas';
import { isAllowedZoomUrl } from '../zoom/start-url';
import { type Meeting, type MeetingSource, occurrenceOf, topicOf } from './meeting';

const DEFAULT_DURATION_MINUTES = 60;
/** Between schedulings the hosted list stands still: asked again this often, or when a new meeting shows up. */
const HOSTED_EVERY_MS = 3 * 60 * 60_000;
/** What the upcoming list (own and invited meetings) needs beside meeting:read. */
export const UPCOMING_SCOPE = 'meeting:read:list_upcoming_meetings';

/** Where a meeting's link may point: Zoom's hosts, or the configured web base (the simulator). */
export interface LinkRules {
  readonly webBase: URL;
  readonly origins: readonly string[];
}

function when(m: ZoomMeeting): { start: Date; durationMinutes: number } | undefined {
  if (!m.start_time) return undefined; // recurring with no fixed time: nothing to order by
  const start = new Date(m.start_time);
  if (Number.isNaN(start.getTime())) return undefined;
  return { start, durationMinutes: m.duration && m.duration > 0 ? m.duration : DEFAULT_DURATION_MINUTES };
}

function base(m: ZoomMeeting, timed: { start: Date; durationMinutes: number }, account: AccountRef | undefined): Omit<Meeting, 'action'> {
  return { id: m.id, topic: topicOf(m.topic || 'Zoom meeting'), ...timed, account, sources: ['zoom'] };
}

/** Zoom's list of the meetings a user hosts, as the app's meetings: each starts as host. */
export function fromHostedList(list: readonly ZoomMeeting[], account: AccountRef | undefined, links: LinkRules): Meeting[] {
  return list.flatMap((m) => {
    const timed = when(m);
    return timed ? [{ ...base(m, timed, account), action: { kind: 'start' }, joinUrl: joinLink(m, links) } satisfies Meeting] : [];
  });
}

/** Zoom's join link when it is on a Zoom host (it keeps the passcode), else the meeting's plain one. */
function joinLink(m: ZoomMeeting, links: LinkRules): string {
  let url: URL | undefined;
  try {
    url = m.join_url ? new URL(m.join_url) : undefined;
  } catch {
    url = undefined;
  }
  return url && isAllowedZoomUrl(url, links.origins) ? url.href : new URL(`/j/${m.id}`, links.webBase).href;
}

/**
 * The hosted list and the upcoming list (own and invited meetings of the next 24 hours) as one:
 * a meeting in both is one (by ID and start: their uuids differ); what the upcoming list holds is
 * the user's when its ID is in the hosted list (nothing else says who hosts it), and joined by its
 * link otherwise.
 */
export function mergeZoomLists(hosted: readonly ZoomMeeting[], upcoming: readonly ZoomMeeting[], account: AccountRef | undefined, links: LinkRules): Meeting[] {
  const own = new Set(hosted.map((m) => m.id));
  const merged = new Map(fromHostedList(hosted, account, links).map((m) => [occurrenceOf(m), m]));
  for (const m of upcoming) {
    const timed = when(m);
    if (!timed) continue;
    const url = joinLink(m, links);
    merged.set(occurrenceOf({ id: m.id, ...timed }), { ...base(m, timed, account), action: own.has(m.id) ? { kind: 'start' } : { kind: 'join', url }, joinUrl: url });
  }
  return [...merged.values()];
}

interface Lists {
  hostedMeetings(): Promise<readonly ZoomMeeting[]>;
  upcomingMeetings(): Promise<readonly ZoomMeeting[]>;
}

/**
 * One account's meetings from Zoom: those it hosts and those it is invited to. An idle poll asks
 * the upcoming list alone (it holds the next day's own meetings too); the hosted list is asked
 * again when it is three hours old, when a meeting not seen before shows up (scheduled, or an
 * invitation: only the hosted list tells them apart), and for a `fresh` answer.
 */
export class ZoomMeetings implements MeetingSource {
  readonly name = 'zoom';
  /** Zoom said the app lacks the upcoming list's scope: the hosted list alone is asked, as before. */
  lacksScope = false;
  private hosted: { readonly list: readonly ZoomMeeting[]; readonly at: number } | undefined;
  /** The meeting IDs of the last upcoming list. */
  private seen: ReadonlySet<string> | undefined;

  constructor(
    private readonly api: Lists,
    private readonly account: AccountRef | undefined,
    private readonly links: LinkRules,
    private readonly now: () => number,
  ) {}

  async fetch(options: { fresh?: boolean } = {}): Promise<Meeting[]> {
    if (this.lacksScope) return fromHostedList(await this.askHosted(), this.account, this.links);
    const stale = options.fresh || !this.hosted || this.now() - this.hosted.at >= HOSTED_EVERY_MS;
    const [upcoming, hosted] = await Promise.all([this.askUpcoming(), stale ? this.askHosted() : this.hosted?.list]);
    if (!upcoming) return fromHostedList(hosted ?? (await this.askHosted()), this.account, this.links);
    const seen = this.seen;
    this.seen = new Set(upcoming.map((m) => m.id));
    const news = seen !== undefined && upcoming.some((m) => !seen.has(m.id));
    return mergeZoomLists(news && !stale ? await this.askHosted() : (hosted ?? []), upcoming, this.account, this.links);
  }

  private async askHosted(): Promise<readonly ZoomMeeting[]> {
    const at = this.now();
    const list = await this.api.hostedMeetings();
    this.hosted = { list, at };
    return list;
  }

  /** undefined once Zoom said the scope is missing (said once by whoever shows this source). */
  private async askUpcoming(): Promise<readonly ZoomMeeting[] | undefined> {
    try {
      return await this.api.upcomingMeetings();
    } catch (err) {
      if (!isZoomTrayError(err) || err.details.zoomCode !== MISSING_SCOPE) throw err;
      this.lacksScope = true;
      return undefined;
    }
  }
}
