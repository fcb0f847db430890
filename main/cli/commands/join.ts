import { ZoomTrayError } from '../../lib/errors';
import { printable } from '../../lib/redact';
import { parseJoin } from '../../meetings/join-link';
import { spacedId } from '../../meetings/launcher';
import { type Meeting, nextMeeting } from '../../meetings/meeting';
import type { Account, AccountList } from '../../session/accounts';
import { sameAccount } from '../../shared/clouds';
import { DEFAULT_OAUTH_URL, parseServiceUrl } from '../../shared/urls';
import { collectAgenda } from '../agenda';
import { command, usageError } from '../command';
import type { Context } from '../context';
import { openLink } from '../open-link';

/** What `join next` opens: a meeting's own link, or the meeting ID to start as host with an account (undefined: the default). */
export type NextChoice = { readonly what: string } & ({ readonly join: URL } | { readonly start: string; readonly host: Account | undefined });

/**
 * The next meeting of any account (one under way, or the soonest): started as host when an account
 * hosts it, else joined by its own link. Pure: the running tray decides it the same way.
 */
export function nextChoice(meetings: readonly Meeting[], list: AccountList, now: Date): NextChoice | undefined {
  const next = nextMeeting(meetings, now);
  if (!next) return undefined;
  // A topic is anyone's text: shown, never obeyed by the terminal.
  const what = `"${printable(next.topic)}" (${spacedId(next.id)})`;
  if (next.action.kind === 'join') return { what, join: new URL(next.action.url) };
  const host = next.account;
  return { what, start: next.id, host: host ? list.accounts.find((a) => sameAccount(a, host)) : list.default };
}

/** The next meeting's start URL when an account hosts it (with that account's ZAK), else its own join link. */
async function nextLink(ctx: Context): Promise<{ url: URL; what: string }> {
  const { meetings, list, failure } = await collectAgenda(ctx);
  const next = nextChoice(meetings, list, new Date());
  if (!next) throw failure ?? new ZoomTrayError('zoom', 'You have no upcoming meetings.');
  if ('join' in next) return { url: next.join, what: next.what };
  const core = await ctx.core(next.host);
  return { url: (await core.start({ kind: 'id', id: next.start })).url, what: next.what };
}

/** Joining needs no sign-in: the link (or an ID on Zoom's web host) goes to the browser as it is. `next` looks it up. */
export const join = command({
  usage: [
    { args: '<link-or-id> [--print]', does: 'join a meeting from its Zoom link (or a pasted invitation) or ID' },
    { args: 'next [--print]', does: 'open your next meeting, any account: as host when yours, else joined' },
  ],
  options: { print: { type: 'boolean' } },
  positionals: 1,
  keychain: false,
  async run({ values, positionals }, io, signedIn) {
    const text = positionals[0];
    if (text === undefined) throw usageError('Give a Zoom meeting link or ID to join.');
    let url: URL;
    let what: string;
    if (text === 'next') {
      ({ url, what } = await nextLink(await signedIn()));
    } else {
      const parsed = parseJoin(text, parseServiceUrl('ZOOM_OAUTH_URL', io.env.ZOOM_OAUTH_URL?.trim() || DEFAULT_OAUTH_URL));
      if (!parsed.ok) throw usageError(`That is not a Zoom meeting link or ID: it is ${parsed.found}.`);
      url = parsed.url;
      what = parsed.id ? `meeting ${spacedId(parsed.id)}` : 'the meeting';
    }
    if (values.print) {
      io.stdout(`${url.href}\n`);
      return;
    }
    await openLink(url, what, io);
  },
});
