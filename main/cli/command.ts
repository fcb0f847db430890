import type { ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { ZoomTrayError } from '../lib/errors';
import type { Account } from '../session/accounts';
import type { Cloud } from '../shared/clouds';
import type { CliIo, Context } from './context';

/** A command's options, as node's parseArgs takes them. */
export type Options = ParseArgsOptionsConfig;

/** What parseArgs makes of a command's arguments; strict: an option the command lacks is a usage error. */
export type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>;

/**
 * The options of a command that works with one signed-in account: the one named (--cloud telling
 * apart two of the same e-mail), else the default. --cloud therefore needs --account there, and
 * that account's sign-in is asked of the keychain before the configuration is worked out.
 */
export const PICK_ACCOUNT = { account: { type: 'string' }, cloud: { type: 'string' } } as const;

/** One line of `zoom-tray --help`: what follows `zoom-tray <command>`, and what that does. */
export interface UsageLine {
  readonly args: string;
  readonly does: string;
}

interface Shared<O extends Options, C> {
  /** Its lines in `zoom-tray --help`. */
  readonly usage: readonly UsageLine[];
  readonly options: O;
  /** How many arguments it takes besides its options; one more is a usage error. */
  readonly positionals: number;
  /**
   * Checks what can be checked with no call made (no keychain, no network), so a usage error comes
   * before anything is asked; what it returns is the run's `checked`.
   */
  check?(parsed: Parsed<O>): C;
}

/**
 * A command that needs no sign-in, or only for some of its arguments (`join next`): it starts the
 * keychain process (through `signedIn`) only when it asks for its Context.
 */
export interface OfflineCommand<O extends Options, C> extends Shared<O, C> {
  readonly keychain: false;
  run(call: Parsed<O> & { readonly checked: C }, io: CliIo, signedIn: () => Promise<Context>): Promise<void>;
}

/** A command that reads the keychain: it runs in a Context, after zoom-tray 0.1's entries are moved. */
export interface KeychainCommand<O extends Options, C> extends Shared<O, C> {
  readonly keychain: true;
  /** With PICK_ACCOUNT and no --account, it works with every account (each one's sign-in is asked ahead), not the default. */
  readonly everyAccount?: boolean;
  run(call: Parsed<O> & { readonly checked: C; readonly cloud: Cloud | undefined; readonly named: Account | undefined }, ctx: Context): Promise<void>;
}

export type Command<O extends Options = Options, C = unknown> = OfflineCommand<O, C> | KeychainCommand<O, C>;

/** Gives a command's `check` and `run` the types of its own options. */
export function command<const O extends Options, C = undefined>(spec: OfflineCommand<O, C>): OfflineCommand<O, C>;
export function command<const O extends Options, C = undefined>(spec: KeychainCommand<O, C>): KeychainCommand<O, C>;
export function command(spec: Command): Command {
  return spec;
}

export function usageError(message: string): ZoomTrayError {
  return new ZoomTrayError('usage', `${message} Run \`zoom-tray --help\` for usage.`);
}
