import { CLOUD_NAMES } from '../../shared/clouds';
import { describeError } from '../../lib/errors';
import { excerpt, printable } from '../../lib/redact';
import { openInBrowser } from '../../platform/open-browser';
import { accountLabel } from '../../session/accounts';
import { command, usageError } from '../command';
import { displayName } from '../display-name';

function timeoutMs(text: unknown): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw usageError(`--timeout takes seconds from 1 to 3600 (got "${excerpt(String(text), 40)}").`);
  return seconds * 1000;
}

export const login = command({
  usage: [{ args: '[--cloud commercial|gov] [--no-open] [--timeout SECONDS]', does: 'sign in to Zoom (or ZoomGov) in your browser; adds that account' }],
  // --cloud picks the cloud to sign in to, not an account.
  options: { 'no-open': { type: 'boolean' }, timeout: { type: 'string' }, cloud: { type: 'string' } },
  positionals: 0,
  keychain: true,
  check: ({ values }) => timeoutMs(values.timeout),
  async run({ values, checked: loginTimeout, cloud }, ctx) {
    const { io } = ctx;
    const core = await ctx.core(undefined, { addsAccounts: true, cloud: cloud ?? 'commercial' });
    const before = (await ctx.accounts.load()).default;
    const { user, account } = await core.addAccount({
      open: async (url) => {
        // The URL is always shown, so a browser that does not open never strands the sign-in.
        if (values['no-open']) {
          io.stdout(`${url.href}\n`);
          io.stderr(`Open the URL above in your browser to sign in; waiting on ${core.config.redirectUri.origin} …\n`);
          return;
        }
        io.stderr(`Sign in to ${CLOUD_NAMES[core.config.cloud]} in your browser. If it does not open, open this URL yourself:\n${url.href}\n`);
        try {
          await openInBrowser(url, io.env);
        } catch (err) {
          io.stderr(`zoom-tray: ${describeError(err)} Waiting for the sign-in from the URL above …\n`);
        }
      },
      ...(loginTimeout ? { timeoutMs: loginTimeout } : {}),
    });
    io.stderr(`Signed in as ${displayName(user)}.\n`);
    if (before && account && (before.email !== account.email || before.cloud !== account.cloud)) {
      // --cloud: the same e-mail may be signed in on the other cloud too, and then `use EMAIL` alone is ambiguous.
      const use = `zoom-tray accounts use ${printable(account.email)}${account.cloud === 'commercial' ? '' : ` --cloud ${account.cloud}`}`;
      io.stderr(`The default account stays ${accountLabel(before)}; \`${use}\` makes this one the default.\n`);
    }
  },
});
