import { revokeByHand } from '../../core/core';
import { printable } from '../../lib/redact';
import { command, PICK_ACCOUNT } from '../command';

export const logout = command({
  usage: [{ args: '[--account EMAIL]', does: 'revoke the sign-in at Zoom and forget it here' }],
  options: { ...PICK_ACCOUNT },
  positionals: 0,
  keychain: true,
  async run({ named }, ctx) {
    const { io } = ctx;
    const core = await ctx.core(named ?? (await ctx.accounts.load()).default, { addsAccounts: true });
    const out = await core.signOut();
    if (!out) io.stderr('Not signed in.\n');
    else if (out.notRevoked) io.stderr(`Signed out ${printable(out.account)} on this computer. ${out.notRevoked} ${revokeByHand(core.config.cloud)}\n`);
    else io.stderr(`Signed out ${printable(out.account)}; the sign-in was revoked at Zoom and removed from the keychain.\n`);
  },
});
