import { isZoomTrayError, ZoomTrayError } from '../../lib/errors';
import { parseJoin } from '../../meetings/join-link';
import { spacedId } from '../../meetings/launcher';
import { openInBrowser } from '../../platform/open-browser';
import { DEFAULT_OAUTH_URL, parseServiceUrl } from '../../shared/urls';
import { command, usageError } from '../command';

/** Joining needs no sign-in: the link (or an ID on Zoom's web host) goes to the browser as it is. */
export const join = command({
  usage: [{ args: '<link-or-id> [--print]', does: 'join a meeting from its Zoom link (or a pasted invitation) or ID' }],
  options: { print: { type: 'boolean' } },
  positionals: 1,
  keychain: false,
  async run({ values, positionals }, io) {
    const text = positionals[0];
    if (text === undefined) throw usageError('Give a Zoom meeting link or ID to join.');
    const parsed = parseJoin(text, parseServiceUrl('ZOOM_OAUTH_URL', io.env.ZOOM_OAUTH_URL?.trim() || DEFAULT_OAUTH_URL));
    if (!parsed.ok) throw usageError(`That is not a Zoom meeting link or ID: it is ${parsed.found}.`);
    if (values.print) {
      io.stdout(`${parsed.url.href}\n`);
      return;
    }
    await openInBrowser(parsed.url, io.env).catch((err: unknown) => {
      throw isZoomTrayError(err) && err.kind === 'browser' ? new ZoomTrayError('browser', `${err.message} \`zoom-tray join --print\` prints it.`, { cause: err }) : err;
    });
    io.stderr(`Opened ${parsed.id ? `meeting ${spacedId(parsed.id)}` : 'the meeting'} in your browser.\n`);
  },
});
