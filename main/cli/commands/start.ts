import { isZoomTrayError, ZoomTrayError } from '../../lib/errors';
import { printable } from '../../lib/redact';
import { parseTarget } from '../../meetings/launcher';
import { openInBrowser } from '../../platform/open-browser';
import { command, PICK_ACCOUNT } from '../command';

export const start = command({
  usage: [{ args: '[pmi|instant|next|<meetingId>] [--print] [--account EMAIL]', does: 'start a meeting (default: pmi, your personal room)' }],
  options: { print: { type: 'boolean' }, ...PICK_ACCOUNT },
  positionals: 1,
  keychain: true,
  check: ({ positionals }) => parseTarget(positionals[0]),
  async run({ values, checked: target, named }, ctx) {
    const { io } = ctx;
    const core = await ctx.core(named ?? (await ctx.accounts.load()).default);
    const launch = await core.start(target);
    if (values.print) {
      io.stdout(`${launch.url.href}\n`);
    } else {
      await openInBrowser(launch.url, io.env).catch((err: unknown) => {
        throw isZoomTrayError(err) && err.kind === 'browser' ? new ZoomTrayError('browser', `${err.message} \`zoom-tray start --print\` prints it.`, { cause: err }) : err;
      });
      io.stderr(`Opened the start link for ${printable(launch.label)} in your browser.\n`);
    }
  },
});
