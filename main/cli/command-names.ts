/**
 * Every command's name, and whether it reads the keychain (for a command that does so only for some
 * arguments, which). The CLI's entry (main/cli.ts) starts the keychain process for those before it
 * loads the commands, so this file must stay free of them: it is all the entry knows of the
 * commands. The table (./table.ts) is checked against it when it compiles: a command missing here,
 * an extra one, or a different answer is a type error.
 */
export const READS_KEYCHAIN = {
  login: true,
  start: true,
  meetings: true,
  whoami: true,
  logout: true,
  // `join next` looks the next meeting up in the accounts' Zoom lists; a link joins with none.
  join: (args: readonly string[]) => args[0] === 'next',
  invitation: true,
  accounts: true,
  calendar: true,
} as const satisfies Record<string, boolean | ((args: readonly string[]) => boolean)>;

export type CommandName = keyof typeof READS_KEYCHAIN;

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(READS_KEYCHAIN, name);
}

/** Whether `zoom-tray <name> <args>` reads the keychain: its entry then starts the keychain process first. */
export function readsKeychain(name: string | undefined, args: readonly string[] = []): boolean {
  if (!isCommandName(name)) return false;
  const reads: boolean | ((args: readonly string[]) => boolean) = READS_KEYCHAIN[name];
  return typeof reads === 'function' ? reads(args) : reads;
}
