import { CLOUD_NAMES } from '../../shared/clouds';
import { printable } from '../../lib/redact';
import { type Account, type AccountList, accountLabel } from '../../session/accounts';
import { command, usageError } from '../command';

export const accounts = command({
  usage: [
    { args: '[--json]', does: 'list the signed-in accounts' },
    { args: 'use EMAIL', does: 'make one the default' },
  ],
  // --cloud picks between two accounts of the same e-mail for `use`.
  options: { json: { type: 'boolean' }, cloud: { type: 'string' } },
  positionals: 2,
  keychain: true,
  async run({ values, positionals, cloud }, ctx) {
    const { io } = ctx;
    if (positionals.length > 0) {
      // Checked here rather than in check(): a bad --cloud value is the error `accounts x --cloud y` reports.
      if (positionals[0] !== 'use' || positionals.length !== 2) throw usageError('`zoom-tray accounts` lists your accounts; `zoom-tray accounts use EMAIL` picks the default.');
      const account = await ctx.accounts.find(positionals[1] ?? '', cloud);
      await ctx.accounts.setDefault(account);
      io.stderr(`The default account is now ${accountLabel(account)}.\n`);
      return;
    }
    const loaded = await ctx.accounts.load();
    const { accounts: list, default: chosen } = loaded;
    const isDefault = (a: Account): boolean => a === chosen;
    if (values.json) {
      io.stdout(accountsJson(loaded));
    } else if (list.length === 0) {
      io.stderr('No account is signed in. `zoom-tray login` adds one.\n');
    } else {
      for (const a of list) io.stdout(`${printable(a.email)}  ${CLOUD_NAMES[a.cloud]}${isDefault(a) ? '  (default)' : ''}\n`);
    }
  },
});

/** `zoom-tray accounts --json`: what the CLI prints, and the running tray answers for it. */
export function accountsJson({ accounts: list, default: chosen }: AccountList): string {
  return `${JSON.stringify(list.map((a) => ({ email: a.email, cloud: a.cloud, default: a === chosen })), null, 2)}\n`;
}
