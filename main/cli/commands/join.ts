import { isZoomTrayError, ZoomTrayError } from '../../lib/errors';
import { printable } from '../../lib/redact';
import { parseJoin } from '../../meetings/join-link';
import { spacedId } from '../../meetings/launcher';
import { nextMeeting } from '../../meetings/meeting';
import { openInBrowser } from '../../platform/open-browser';
import { sameAccount } from '../../shared/clouds';
import { DEFAULT_OAUTH_URL, parseServiceUrl } from '../../shared/urls';
import { collectAgenda } from '../agenda';
import { command, usageError } from '../command';
import type { Context } from '../context';

/**
 * The next meeting of any account (one under way, or the soonest): its start URL when an account
 * hosts it (with that account's ZAK), else its own join link.
 */
async function nextLink(ctx: Context): Promise<{ url: URL; what: string }> {
  const { meetings, list, failure } = await collectAgenda(ctx);
  const next = nextMeeting(meetings, new Date());
  if (!next) throw failure ?? new ZoomTrayError('zoom', 'You have no upcoming meetings.');
  // A topic is anyone's text: shown, never obeyed by the terminal.
  const what = `"${printable(next.topic)}" (${spacedId(next.id)})`;
  if (next.action.kind === 'join') return { url: new URL(next.action.url), what };
  const host = next.account;
  const core = await ctx.core(host ? list.accounts.find((a) => sameAccount(a, host)) : list.default);
  return { url: (await core.start({ kind: 'id', id: next.id })).url, what };
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
    await openInBrowser(url, io.env).catch((err: unknown) => {
      throw isZoomTrayError(err) && err.kind === 'browser' ? new ZoomTrayError('browser', `${err.message} \`zoom-tray join --print\` prints it.`, { cause: err }) : err;
    });
    io.stderr(`Opened ${what} in your browser.\n`);
  },
});
