import { redact } from '../lib/redact';
import type { AccountRef } from '../shared/clouds';

/** What a click on a meeting does. */
export type MeetingAction =
  /** Start it as host, with its account's ZAK: no request from warm caches. */
  | { readonly kind: 'start' }
  /** Join it through its own link (passcode kept, never a ZAK): no request at all. */
  | { readonly kind: 'join'; readonly url: string };

/**
 * A meeting as the app knows it, whichever source it came from: the menu, the countdown, the
 * reminders and `zoom-tray meetings` read this, never a provider's wire format.
 */
export interface Meeting {
  /** Zoom's meeting ID, digits. */
  readonly id: string;
  readonly topic: string;
  readonly start: Date;
  readonly durationMinutes: number;
  /** The account it belongs to, whose ZAK starts it; undefined: the default account. */
  readonly account: AccountRef | undefined;
  /** Where it was seen ("zoom"). */
  readonly sources: readonly string[];
  readonly action: MeetingAction;
  /** Its join link, when the source gave one. */
  readonly joinUrl?: string;
}

/**
 * Where meetings come from (MeetingBar's EventStore is the model): each source turns its
 * provider's answer into the app's meetings, and is asked on its owner's schedule.
 */
export interface MeetingSource {
  /** What `sources` of its meetings say. */
  readonly name: string;
  /**
   * The meetings it knows of now. `fresh`: ask the provider now where the source's own schedule
   * allows it (a calendar keeps to its feed's period). Fails as the provider does (a typed ZoomTrayError).
   */
  fetch(options?: { readonly fresh?: boolean }): Promise<readonly Meeting[]>;
}

const MAX_TOPIC = 200;

/**
 * A topic as the app keeps it: anyone's text, so capped (a menu label of a megabyte is no label)
 * and cleared of any secret the process knows (a server that echoes tokens must not have them shown).
 */
export function topicOf(text: string): string {
  const chars = [...redact(text)];
  return chars.length > MAX_TOPIC ? `${chars.slice(0, MAX_TOPIC - 1).join('')}…` : chars.join('');
}

/** One occurrence of one meeting, whichever lists and calendars saw it: its ID and start (the uuids of Zoom's lists differ). */
export function occurrenceOf(m: Pick<Meeting, 'id' | 'start'>): string {
  return `${m.id}@${m.start.getTime()}`;
}

/** Meetings not yet ended, soonest first. */
export function upcoming(meetings: readonly Meeting[], now: Date): Meeting[] {
  return meetings.filter((m) => m.start.getTime() + m.durationMinutes * 60_000 > now.getTime()).sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The meeting "next" means among these: one already under way (its host may be late) or the soonest to come. */
export function nextMeeting(meetings: readonly Meeting[], now: Date): Meeting | undefined {
  return upcoming(meetings, now)[0];
}

/** The next meeting the account can start as host. */
export function nextToStart(meetings: readonly Meeting[], now: Date): Meeting | undefined {
  return nextMeeting(
    meetings.filter((m) => m.action.kind === 'start'),
    now,
  );
}
