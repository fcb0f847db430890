/** What the tray's Copy submenus and `zoom-tray invitation` give: Zoom's invitation, or the meeting ID and passcode. */
import { ZoomTrayError } from '../lib/errors';
import { redactKnown } from '../lib/redact';
import { spacedId, type Target } from './launcher';
import { type Meeting, nextToStart } from './meeting';

export type Copyable = 'invitation' | 'id-and-passcode';
/** A meeting that exists before it starts: the personal room, the next one, or one by ID. */
export type CopyTarget = Exclude<Target, { kind: 'instant' }>;

export interface ShareDeps {
  readonly pmi: () => Promise<string | undefined>;
  readonly upcoming: () => Promise<readonly Meeting[]>;
  readonly invitation: (id: string) => Promise<string>;
  readonly passcode: (id: string) => Promise<string | undefined>;
  readonly now: () => number;
}

/** Two lines, as in Zoom's own invitation, ready to paste into a chat. */
export function idAndPasscode(id: string, passcode: string | undefined): string {
  return `Meeting ID: ${spacedId(id)}\n${passcode ? `Passcode: ${passcode}` : 'No passcode'}`;
}

/** Decides which meeting a target means, then asks Zoom for its invitation or passcode (one request). */
export async function shareText(what: Copyable, target: CopyTarget, deps: ShareDeps): Promise<string> {
  let id: string | undefined;
  switch (target.kind) {
    case 'pmi':
      id = await deps.pmi();
      if (!id) throw new ZoomTrayError('zoom', 'Your Zoom account has no personal meeting ID.');
      break;
    case 'next':
      id = nextToStart(await deps.upcoming(), new Date(deps.now()))?.id;
      if (!id) throw new ZoomTrayError('zoom', 'You have no upcoming scheduled meetings in Zoom.');
      break;
    case 'id':
      id = target.id;
      break;
  }
  // A server that echoes the request (a proxy, a broken Zoom) must not hand back this process's secrets.
  return what === 'invitation' ? redactKnown(await deps.invitation(id)) : idAndPasscode(id, await deps.passcode(id));
}
