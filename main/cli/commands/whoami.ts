import { command, PICK_ACCOUNT } from '../command';
import { displayName } from '../display-name';

export const whoami = command({
  usage: [{ args: '[--json] [--account EMAIL]', does: 'show who is signed in' }],
  options: { json: { type: 'boolean' }, ...PICK_ACCOUNT },
  positionals: 0,
  keychain: true,
  async run({ values, named }, ctx) {
    const core = await ctx.core(named ?? (await ctx.accounts.load()).default);
    const user = await core.api.me();
    if (values.json) {
      const { id, email, first_name, last_name, pmi, timezone } = user;
      ctx.io.stdout(`${JSON.stringify({ id, email, first_name, last_name, pmi, timezone }, null, 2)}\n`);
    } else {
      ctx.io.stdout(`${displayName(user)}${user.pmi ? `  (personal meeting ID ${user.pmi})` : ''}${core.config.cloud === 'gov' ? '  on ZoomGov' : ''}\n`);
    }
  },
});
