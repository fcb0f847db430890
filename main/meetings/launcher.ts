import { ZoomTrayError } from '../lib/errors';
import { excerpt } from '../lib/redact';
import { buildStartUrl } from '../zoom/start-url';
import { type Meeting, nextToStart } from './meeting';

export type Target = { readonly kind: 'pmi' } | { readonly kind: 'instant' } | { readonly kind: 'next' } | { readonly kind: 'id'; readonly id: string };

export function parseTarget(text: string | undefined): Target {
  const value = (text ?? 'pmi').trim();
  if (value === 'pmi' || value === 'instant' || value === 'next') return { kind: value };
  const digits = value.replace(/[\s-]/g, '');
  if (/^\d{9,12}$/.test(digits)) return { kind: 'id', id: digits };
  throw new ZoomTrayError('usage', `Unknown meeting "${excerpt(value, 40)}": use pmi, instant, next, or a meeting ID (9 to 12 digits).`);
}

/** What a target is, for the user ("Starting your personal meeting room…"). */
export const TARGET_NAMES: Readonly<Record<Target['kind'], string>> = {
  pmi: 'your personal meeting room',
  instant: 'a new instant meeting',
  next: 'your next meeting',
  id: 'the meeting',
};

export interface LauncherDeps {
  readonly webBase: URL;
  /** Origins besides Zoom's own that start URLs may use (the configured base, e.g. the simulator). */
  readonly extraOrigins: readonly string[];
  readonly zak: () => Promise<string>;
  /** The user's personal meeting ID, when they have one. */
  readonly pmi: () => Promise<string | undefined>;
  readonly upcoming: () => Promise<readonly Meeting[]>;
  readonly createInstant: () => Promise<{ id: string }>;
  readonly now: () => number;
}

export interface Launch {
  readonly url: URL;
  /** What is being started, for the user: "your personal meeting room (123 456 7890)". */
  readonly label: string;
}

/** Meeting IDs as Zoom shows them: 123 456 789, 123 456 7890, 123 4567 8901. */
export function spacedId(id: string): string {
  const groups = id.length === 11 ? [3, 4, 4] : id.length === 10 ? [3, 3, 4] : id.length === 9 ? [3, 3, 3] : [id.length];
  let at = 0;
  return groups.map((n) => id.slice(at, (at += n))).join(' ');
}

/** Decides which meeting a target means and builds its start URL; the ZAK is fetched alongside. */
export async function startMeeting(target: Target, deps: LauncherDeps): Promise<Launch> {
  const build = (id: string, zak: string): URL => buildStartUrl(deps.webBase, id, zak, deps.extraOrigins);
  switch (target.kind) {
    case 'pmi': {
      const [pmi, zak] = await Promise.all([deps.pmi(), deps.zak()]);
      if (!pmi) throw new ZoomTrayError('zoom', 'Your Zoom account has no personal meeting ID. Start an instant meeting instead.');
      return { url: build(pmi, zak), label: `${TARGET_NAMES.pmi} (${spacedId(pmi)})` };
    }
    case 'instant': {
      // ZAK first: a user who cannot get one should not spend one of Zoom's 100 daily creates.
      const zak = await deps.zak();
      const meeting = await deps.createInstant();
      return { url: build(meeting.id, zak), label: `${TARGET_NAMES.instant} (${spacedId(meeting.id)})` };
    }
    case 'next': {
      const [meetings, zak] = await Promise.all([deps.upcoming(), deps.zak()]);
      const next = nextToStart(meetings, new Date(deps.now()));
      if (!next) throw new ZoomTrayError('zoom', 'You have no upcoming scheduled meetings in Zoom.');
      return { url: build(next.id, zak), label: `"${next.topic}" (${spacedId(next.id)})` };
    }
    case 'id':
      return { url: build(target.id, await deps.zak()), label: `meeting ${spacedId(target.id)}` };
  }
}
