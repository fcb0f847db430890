/** What the tray copies of a meeting: Zoom's invitation, or its ID and passcode. */
import type { Target } from './launcher';

export type Copyable = 'invitation' | 'id-and-passcode';
/** A meeting that exists before it is copied: the personal room, or a scheduled one. */
export type CopyTarget = Extract<Target, { kind: 'pmi' | 'id' }>;

/** Zoom groups a meeting ID's digits: 123 456 789, 123 456 7890, 123 4567 8901. */
export function spacedMeetingId(id: string): string {
  switch (id.length) {
    case 9:
    case 10:
      return `${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`;
    case 11:
      return `${id.slice(0, 3)} ${id.slice(3, 7)} ${id.slice(7)}`;
    default:
      return id;
  }
}

/** Two lines, as in Zoom's own invitation, ready to paste into a chat. */
export function idAndPasscode(id: string, passcode: string | undefined): string {
  return `Meeting ID: ${spacedMeetingId(id)}\n${passcode ? `Passcode: ${passcode}` : 'No passcode'}`;
}
