// The CLI's commands, bundled apart from its entry (main/cli.ts), which loads this file while the
// keychain process starts: runCli is all it takes from here.
import type { ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { defaultDataDir } from '../core/config';
import { describeError, isZoomTrayError } from '../lib/errors';
import { makeDataDir } from '../lib/files';
import { log, logLevel, openLog } from '../lib/log';
import { excerpt } from '../lib/redact';
import { startCacheEntry } from '../session/accounts';
import { forkKeychain, KeychainClient } from '../session/keychain-client';
import { SESSION_ACCOUNT } from '../session/secret-store';
import { type Cloud, CLOUDS } from '../shared/clouds';
import { type Command, type Options, type Parsed, usageError } from './command';
import { isCommandName } from './command-names';
import { type CliIo, Context } from './context';
import { helpText } from './help';
import { closest } from './suggest';
import { COMMANDS } from './table';

/** An argument as an error repeats it: a link is not repeated, since a calendar's address is a secret. */
function shown(arg: string): string {
  return /^-*[a-z][a-z0-9+.-]*:\/\//i.test(arg.trim()) ? 'a link' : `"${excerpt(arg, 40)}"`;
}

/** ", did you mean `x`?" (or "`x` or `y`"), or nothing when no candidate is near. */
function didYouMean(word: string, candidates: readonly string[]): string {
  const near = closest(word, candidates);
  return near.length > 0 ? `: did you mean ${near.map((c) => `\`${c}\``).join(' or ')}?` : '.';
}

function parse(name: string, options: Options, args: string[]): Parsed<Options> {
  // An option the command lacks is named here, with the nearest it has: node's parser would say
  // so in words of its own, about `--` and positional arguments.
  const { tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  const unknown = tokens.find((t) => t.kind === 'option' && !Object.hasOwn(options, t.name));
  if (unknown?.kind === 'option') {
    const known = Object.keys(options).map((o) => `--${o}`);
    const hint = didYouMean(unknown.rawName, known);
    const list = known.length > 0 ? ` (it takes ${known.join(', ')})` : ' (it takes none)';
    throw usageError(`Unknown option ${shown(unknown.rawName)} for ${name}${hint === '.' ? `${list}.` : hint}`);
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    // Node's message quotes the option (twice when unknown): each long word in it is cut.
    const message = (err as Error).message.replace(/[^\s'"]{41,}/g, (word) => excerpt(word, 40));
    throw usageError(`${excerpt(message, 300)}.`);
  }
}

function parseCloud(text: unknown): Cloud | undefined {
  if (text === undefined) return undefined;
  if (CLOUDS.includes(text as Cloud)) return text as Cloud;
  throw usageError(`--cloud is commercial or gov (got "${excerpt(String(text), 40)}").`);
}

/**
 * A command's arguments, checked with nothing asked of the keychain or the network: everything
 * that can be checked so is checked before any call is made. Throws the usage error to show.
 */
export function readArguments(name: string, command: Command, args: string[]): { parsed: Parsed<Options>; checked: unknown; cloud: Cloud | undefined } {
  const parsed = parse(name, command.options, args);
  const { values, positionals } = parsed;
  if (positionals.length > command.positionals) throw usageError(`Unexpected argument ${shown(positionals[command.positionals] ?? '')}.`);
  const checked = command.check?.(parsed);
  const cloud = parseCloud(values.cloud);
  if (cloud && Object.hasOwn(command.options, 'account') && values.account === undefined) throw usageError('--cloud picks between two accounts of the same e-mail: use it with --account.');
  return { parsed, checked, cloud };
}

async function run(name: string, command: Command, args: string[], io: CliIo, keychain: KeychainClient): Promise<void> {
  const { parsed, checked, cloud } = readArguments(name, command, args);
  const { values } = parsed;
  const picksAccount = Object.hasOwn(command.options, 'account');
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
    if (command === '--version') {
      io.stdout(`zoom-tray ${version}
`);
      return 0;
    }
    const dataDir = defaultDataDir(io.env);
    await makeDataDir(dataDir);
    openLog(dataDir, 'cli', logLevel(io.env));
    if (!isCommandName(command)) {
      if (!command) throw usageError('No command given.');
      const candidates = command.startsWith('-') ? ['--help', '--version'] : [...Object.keys(COMMANDS), 'help'];
      throw usageError(`Unknown command ${shown(command)}${didYouMean(command, candidates)}`);
    }
    log.info(`zoom-tray ${command}`);
    await run(command, COMMANDS[command], rest, io, keychain);
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
