import type { Command } from './command';
import { type CommandName, READS_KEYCHAIN } from './command-names';
import { accounts } from './commands/accounts';
import { calendar } from './commands/calendar';
import { invitation } from './commands/invitation';
import { join } from './commands/join';
import { login } from './commands/login';
import { logout } from './commands/logout';
import { meetings } from './commands/meetings';
import { start } from './commands/start';
import { whoami } from './commands/whoami';

/**
 * Every command, in the order `zoom-tray --help` lists them. The CLI's entry knows them from
 * command-names.ts alone; this checks that list when it compiles: the same names, and each
 * command's `keychain` the same as its entry there.
 */
export const COMMANDS = { login, start, meetings, whoami, logout, join, invitation, accounts, calendar } satisfies {
  // A command that reads the keychain for some arguments only runs offline until it asks for a Context.
  readonly [N in CommandName]: Command & { readonly keychain: (typeof READS_KEYCHAIN)[N] extends true ? true : false };
};
