// The CLI's commands, bundled apart from its entry (main/cli.ts), which loads this file while the
// keychain process starts: runCli is all it takes from here.
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../core/config';
import { describeError, isZoomTrayError } from '../lib/errors';
import { makeDataDir } from '../lib/files';
import { log, logLevel, openLog } from '../lib/log';
import { printable } from '../lib/redact';
import { startCacheEntry } from '../session/accounts';
import { forkKeychain, KeychainClient } from '../session/keychain-client';
import { SESSION_ACCOUNT } from '../session/secret-store';
import { type Cloud, CLOUDS } from '../shared/clouds';
import { type Command, type Options, type Parsed, usageError } from './command';
import { isCommandName } from './command-names';
import { type CliIo, Context } from './context';
import { helpText } from './help';
import { COMMANDS } from './table';

function parse(options: Options, args: string[]): Parsed<Options> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError(`${printable((err as Error).message)}.`);
  }
}

/** An argument as an error repeats it: a link is not repeated, since a calendar's address is a secret. */
function shown(arg: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(arg.trim()) ? 'a link' : `"${printable(arg)}"`;
}

function parseCloud(text: unknown): Cloud | undefined {
  if (text === undefined) return undefined;
  if (CLOUDS.includes(text as Cloud)) return text as Cloud;
  throw usageError(`--cloud is commercial or gov (got "${printable(String(text))}").`);
}

async function run(command: Command, args: string[], io: CliIo, keychain: KeychainClient): Promise<void> {
  const parsed = parse(command.options, args);
  const { values, positionals } = parsed;
  if (positionals.length > command.positionals) throw usageError(`Unexpected argument ${shown(positionals[command.positionals] ?? '')}.`);
  // Everything that can be checked without the network is checked before any call is made.
  const checked = command.check?.(parsed);
  const cloud = parseCloud(values.cloud);
  const picksAccount = Object.hasOwn(command.options, 'account');
  if (cloud && picksAccount && values.account === undefined) throw usageError('--cloud picks between two accounts of the same e-mail: use it with --account.');
  let opened: Context | undefined;
  const signedIn = async (): Promise<Context> => {
    if (opened) return opened;
    opened = new Context(io, keychain);
    await opened.migrate();
    return opened;
  };
  if (!command.keychain) {
    try {
      await command.run({ ...parsed, checked }, io, signedIn);
      await opened?.finish();
    } finally {
      await opened?.close();
    }
    return;
  }
  const ctx = await signedIn();
  const named = typeof values.account === 'string' ? await ctx.accounts.find(values.account, cloud) : undefined;
  // Asked now, answered while the configuration is worked out.
  if (picksAccount) {
    const list = named ? [named] : command.everyAccount ? (await ctx.accounts.load()).accounts : [(await ctx.accounts.load()).default];
    for (const account of list) {
      const entry = account?.entry ?? SESSION_ACCOUNT;
      keychain.prefetch(ctx.service, entry);
      keychain.prefetch(ctx.service, startCacheEntry(entry));
    }
  }
  try {
    await command.run({ ...parsed, checked, cloud, named }, ctx);
    await ctx.finish();
  } finally {
    await ctx.close();
  }
}

/** Runs one CLI invocation and returns its exit code; every error becomes one line on stderr. */
export async function runCli(argv: readonly string[], io: CliIo, keychainProcess?: ChildProcess): Promise<number> {
  const [command, ...rest] = argv;
  let adopt = keychainProcess;
  const keychain = new KeychainClient({
    spawn: () => {
      const started = adopt;
      adopt = undefined;
      return forkKeychain(started);
    },
  });
  try {
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(helpText());
      return 0;
    }
    const dataDir = defaultDataDir(io.env);
    await makeDataDir(dataDir);
    openLog(dataDir, 'cli', logLevel(io.env));
    if (!isCommandName(command)) throw usageError(command ? `Unknown command ${shown(command)}.` : 'No command given.');
    log.info(`zoom-tray ${command}`);
    await run(COMMANDS[command], rest, io, keychain);
    return 0;
  } catch (err) {
    // A word that is no command may be anything the user pasted (a calendar's address): never logged.
    log.error(`zoom-tray ${isCommandName(command) ? command : '(no command)'} failed`, err);
    io.stderr(`zoom-tray: ${describeError(err)}\n`);
    return isZoomTrayError(err) ? err.exitCode : 1;
  } finally {
    keychain.close();
  }
}
