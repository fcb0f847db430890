import { log } from '../lib/log';
import { printable } from '../lib/redact';
import type { Copyable, CopyTarget } from '../meetings/invitation';
import type { AccountSlot } from './account-slot';
import type { Note } from './notifications';
import type { StateStore } from './state-store';

export interface ClipboardDeps {
  readonly copyText: (text: string) => Promise<void>;
  readonly notify: (note: Note) => void;
  readonly store: StateStore;
  /** A copy that Zoom refused, or that failed on the way, said as the click path says it. */
  readonly fail: (err: unknown, slot: AccountSlot) => void;
}

/**
 * What the tray copies: Zoom's invitation or a meeting's ID and passcode (one request, as the
 * account that hosts it), or a link it holds (none). A notification says it is ready to paste and
 * never repeats what was copied: it holds the passcode.
 */
export class Clipboard {
  constructor(private readonly deps: ClipboardDeps) {}

  /** Says so when the clipboard cannot be written; never what was to be copied. */
  async put(text: string): Promise<boolean> {
    try {
      await this.deps.copyText(text);
      return true;
    } catch (err) {
      log.warn('copying to the clipboard failed', err);
      this.deps.notify({ title: 'Could not copy to the clipboard', body: 'Another app may be holding it. Try again.' });
      return false;
    }
  }

  async link(url: string, topic: string): Promise<void> {
    if (await this.put(url)) this.deps.notify({ title: 'Meeting link copied', body: `${printable(topic)}: ready to paste.` });
  }

  async share(slot: AccountSlot, what: Copyable, target: CopyTarget): Promise<void> {
    // A topic is anyone's text: shown, never obeyed (no bidi reordering, no control characters).
    const topic = target.kind === 'id' ? slot.meetings?.find((m) => m.id === target.id)?.topic : undefined;
    const name = target.kind === 'pmi' ? 'Your personal meeting room' : target.kind === 'id' ? (topic ? printable(topic) : `Meeting ${target.id}`) : 'Your next meeting';
    let text: string;
    // A copy waits on Zoom: the tray says so until it is done.
    this.deps.store.update({ busy: what === 'invitation' ? 'Copying the invitation…' : 'Copying the meeting ID and passcode…' });
    try {
      text = await slot.core.share(what, target, slot.sources());
    } catch (err) {
      this.deps.fail(err, slot);
      return;
    } finally {
      this.deps.store.update({ busy: undefined });
    }
    if (!(await this.put(text))) return;
    const title = what === 'invitation' ? 'Invitation copied' : 'Meeting ID and passcode copied';
    this.deps.notify({ title, body: `${name}: ready to paste.` });
  }
}
