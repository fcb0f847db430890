import { printable } from '../../lib/redact';
import type { CopyTarget } from '../../meetings/invitation';
import { parseTarget } from '../../meetings/launcher';
import { command, PICK_ACCOUNT, usageError } from '../command';

function invitationTarget(text: string | undefined): CopyTarget {
  const target = parseTarget(text);
  if (target.kind !== 'instant') return target;
  throw usageError('A new instant meeting has no invitation until it exists: `zoom-tray start instant` creates one.');
}

export const invitation = command({
  usage: [{ args: '[pmi|next|<meetingId>] [--id-and-passcode] [--account EMAIL]', does: "print Zoom's invitation to a meeting you host (default: pmi)" }],
  options: { 'id-and-passcode': { type: 'boolean' }, ...PICK_ACCOUNT },
  positionals: 1,
  keychain: true,
  check: ({ positionals }) => invitationTarget(positionals[0]),
  async run({ values, checked: invited, named }, ctx) {
    const core = await ctx.core(named ?? (await ctx.accounts.load()).default);
    const what = values['id-and-passcode'] ? 'id-and-passcode' : 'invitation';
    const text = await core.share(what, invited);
    // Zoom's text carries topics: shown line by line, never interpreted by the terminal.
    ctx.io.stdout(`${text.trimEnd().split(/\r?\n/).map(printable).join('\n')}\n`);
  },
});
