import { parseArgs } from 'node:util';
import { type Cloud, CLOUD_NAMES, CLOUDS } from '../shared/clouds';
import { defaultDataDir } from '../core/config';
import { revokeByHand } from '../core/core';
import { describeError, isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { log, logLevel, openLog } from '../lib/log';
import { parseJoin } from '../meetings/join-link';
import type { CopyTarget } from '../meetings/invitation';
import { parseTarget, spacedId } from '../meetings/launcher';
import { DEFAULT_OAUTH_URL, parseServiceUrl } from '../shared/urls';
import { upcomingFrom } from '../meetings/upcoming';
import { printable } from '../lib/redact';
import { forkKeychain, KeychainClient } from '../session/keychain-client';
import { type Account, accountLabel, startCacheEntry } from '../session/accounts';
import { SESSION_ACCOUNT } from '../session/secret-store';
import { openInBrowser } from '../platform/open-browser';
import type { ChildProcess } from 'node:child_process';
import { type CommandName, isCommandName } from './command-names';
import { type CliIo, Context } from './context';
import type { ZoomUser } from '../zoom/schemas';

const USAGE = `zoom-tray — start your Zoom meetings from the terminal

Usage:
  zoom-tray login [--cloud commercial|gov] [--no-open] [--timeout SECONDS]
                                 sign in to Zoom (or ZoomGov) in your browser; adds that account
  zoom-tray start [pmi|instant|next|<meetingId>] [--print] [--account EMAIL]
                                 start a meeting (default: pmi, your personal room)
  zoom-tray meetings [--json] [--account EMAIL]
                                 list upcoming meetings (every account's, unless one is named)
  zoom-tray whoami [--json] [--account EMAIL]
                                 show who is signed in
  zoom-tray logout [--account EMAIL]
                                 revoke the sign-in at Zoom and forget it here
  zoom-tray join <link-or-id> [--print]
                                 join a meeting from its Zoom link (or a pasted invitation) or ID
  zoom-tray invitation [pmi|next|<meetingId>] [--id-and-passcode] [--account EMAIL]
                                 print Zoom's invitation to a meeting you host (default: pmi)
  zoom-tray accounts [--json]    list the signed-in accounts
  zoom-tray accounts use EMAIL   make one the default

Options:
  --account   the account (its e-mail) to use; without it, the default account
  --cloud     commercial (zoom.us, the default) or gov (ZoomGov); with --account, picks between two
              accounts of the same e-mail
  --no-open   print the sign-in URL on stdout instead of opening the browser
  --print     print the start URL on stdout instead of opening it (it contains your start key)
  --id-and-passcode
              print the meeting ID and passcode (two lines) instead of the whole invitation
  --json      machine-readable output

Exit codes: 0 ok, 2 usage, 3 not signed in, 4 Zoom refused, 5 keychain unavailable, 6 network,
7 browser could not be opened, 8 zoom-tray's data folder unusable.
Configuration: ZOOM_CLIENT_ID (required), ZOOM_CLIENT_SECRET, ZOOM_REDIRECT_URI, ZOOM_OAUTH_URL,
ZOOM_API_URL; for ZoomGov ZOOM_GOV_CLIENT_ID, ZOOM_GOV_CLIENT_SECRET, ZOOM_GOV_REDIRECT_URI;
ZOOM_TRAY_KEYCHAIN_SERVICE, ZOOM_TRAY_DATA_DIR, ZOOM_TRAY_LOG. See the README.
`;

const PICK = { account: { type: 'string' }, cloud: { type: 'string' } } as const;
const COMMANDS = {
  login: { 'no-open': { type: 'boolean' }, timeout: { type: 'string' }, cloud: { type: 'string' } },
  start: { print: { type: 'boolean' }, ...PICK },
  meetings: { json: { type: 'boolean' }, ...PICK },
  whoami: { json: { type: 'boolean' }, ...PICK },
  logout: { ...PICK },
  accounts: { json: { type: 'boolean' }, cloud: { type: 'string' } },
  join: { print: { type: 'boolean' } },
  invitation: { 'id-and-passcode': { type: 'boolean' }, ...PICK },
} as const satisfies Record<CommandName, unknown>;
type Command = CommandName;

const POSITIONALS: Record<Command, number> = { login: 0, start: 1, meetings: 0, whoami: 0, logout: 0, accounts: 2, join: 1, invitation: 1 };

function usageError(message: string): ZoomTrayError {
  return new ZoomTrayError('usage', `${message} Run \`zoom-tray --help\` for usage.`);
}

function parse(command: Command, args: string[]): { values: Record<string, unknown>; positionals: string[] } {
  try {
    return parseArgs({ args, options: COMMANDS[command], allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError(`${printable((err as Error).message)}.`);
  }
}

/** Names, e-mails and topics come from Zoom: shown, never interpreted by the terminal. */
function displayName(user: ZoomUser): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.display_name;
  return printable(name ? `${name} <${user.email}>` : user.email);
}

function timeoutMs(text: unknown): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw usageError(`--timeout takes seconds from 1 to 3600 (got "${printable(String(text))}").`);
  return seconds * 1000;
}

function invitationTarget(text: string | undefined): CopyTarget {
  const target = parseTarget(text);
  if (target.kind !== 'instant') return target;
  throw usageError('A new instant meeting has no invitation until it exists: `zoom-tray start instant` creates one.');
}

function parseCloud(text: unknown): Cloud | undefined {
  if (text === undefined) return undefined;
  if (CLOUDS.includes(text as Cloud)) return text as Cloud;
  throw usageError(`--cloud is commercial or gov (got "${printable(String(text))}").`);
}


async function run(command: Command, args: string[], io: CliIo, keychain: KeychainClient): Promise<void> {
  const { values, positionals } = parse(command, args);
  if (positionals.length > POSITIONALS[command]) throw usageError(`Unexpected argument "${printable(positionals[POSITIONALS[command]] ?? '')}".`);
  // Everything that can be checked without the network is checked before any call is made.
  const target = command === 'start' ? parseTarget(positionals[0]) : undefined;
  const invited = command === 'invitation' ? invitationTarget(positionals[0]) : undefined;
  const loginTimeout = command === 'login' ? timeoutMs(values.timeout) : undefined;
  if (command === 'join') return join(positionals[0], Boolean(values.print), io);
  const cloud = parseCloud(values.cloud);
  if (cloud && command !== 'login' && command !== 'accounts' && values.account === undefined) {
    throw usageError('--cloud picks between two accounts of the same e-mail: use it with --account.');
  }
  const ctx = new Context(io, keychain);
  await ctx.migrate();
  const named = typeof values.account === 'string' ? await ctx.accounts.find(values.account, cloud) : undefined;
  // Asked now, answered while the configuration is worked out.
  if (command !== 'login' && command !== 'accounts') {
    const list = named ? [named] : command === 'meetings' ? (await ctx.accounts.load()).accounts : [(await ctx.accounts.load()).default];
    for (const account of list) {
      const entry = account?.entry ?? SESSION_ACCOUNT;
      keychain.prefetch(ctx.service, entry);
      keychain.prefetch(ctx.service, startCacheEntry(entry));
    }
  }
  try {
    switch (command) {
      case 'login': {
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
          io.stderr(`The default account stays ${accountLabel(before)}; \`zoom-tray accounts use ${printable(account.email)}\` makes this one the default.\n`);
        }
        break;
      }
      case 'accounts': {
        if (positionals.length > 0) {
          if (positionals[0] !== 'use' || positionals.length !== 2) throw usageError('`zoom-tray accounts` lists your accounts; `zoom-tray accounts use EMAIL` picks the default.');
          const account = await ctx.accounts.find(positionals[1] ?? '', cloud);
          await ctx.accounts.setDefault(account);
          io.stderr(`The default account is now ${accountLabel(account)}.\n`);
          break;
        }
        const { accounts, default: chosen } = await ctx.accounts.load();
        const isDefault = (a: Account): boolean => a === chosen;
        if (values.json) {
          io.stdout(`${JSON.stringify(accounts.map((a) => ({ email: a.email, cloud: a.cloud, default: isDefault(a) })), null, 2)}\n`);
        } else if (accounts.length === 0) {
          io.stderr('No account is signed in. `zoom-tray login` adds one.\n');
        } else {
          for (const a of accounts) io.stdout(`${printable(a.email)}  ${CLOUD_NAMES[a.cloud]}${isDefault(a) ? '  (default)' : ''}\n`);
        }
        break;
      }
      case 'start': {
        const core = await ctx.core(named ?? (await ctx.accounts.load()).default);
        const launch = await core.start(target ?? { kind: 'pmi' });
        if (values.print) {
          io.stdout(`${launch.url.href}\n`);
        } else {
          await openInBrowser(launch.url, io.env).catch((err: unknown) => {
            throw isZoomTrayError(err) && err.kind === 'browser'
              ? new ZoomTrayError('browser', `${err.message} \`zoom-tray start --print\` prints it.`, { cause: err })
              : err;
          });
          io.stderr(`Opened the start link for ${printable(launch.label)} in your browser.\n`);
        }
        break;
      }
      case 'meetings':
        await listMeetings(ctx, named, Boolean(values.json));
        break;
      case 'invitation': {
        const core = await ctx.core(named ?? (await ctx.accounts.load()).default);
        const what = values['id-and-passcode'] ? 'id-and-passcode' : 'invitation';
        const text = await core.share(what, invited ?? { kind: 'pmi' });
        // Zoom's text carries topics: shown line by line, never interpreted by the terminal.
        io.stdout(`${text.trimEnd().split(/\r?\n/).map(printable).join('\n')}\n`);
        break;
      }
      case 'whoami': {
        const core = await ctx.core(named ?? (await ctx.accounts.load()).default);
        const user = await core.api.me();
        if (values.json) {
          const { id, email, first_name, last_name, pmi, timezone } = user;
          io.stdout(`${JSON.stringify({ id, email, first_name, last_name, pmi, timezone }, null, 2)}\n`);
        } else {
          io.stdout(`${displayName(user)}${user.pmi ? `  (personal meeting ID ${user.pmi})` : ''}${core.config.cloud === 'gov' ? '  on ZoomGov' : ''}\n`);
        }
        break;
      }
      case 'logout': {
        const core = await ctx.core(named ?? (await ctx.accounts.load()).default, { addsAccounts: true });
        const out = await core.signOut();
        if (!out) io.stderr('Not signed in.\n');
        else if (out.notRevoked) io.stderr(`Signed out ${printable(out.account)} on this computer. ${out.notRevoked} ${revokeByHand(core.config.cloud)}\n`);
        else io.stderr(`Signed out ${printable(out.account)}; the sign-in was revoked at Zoom and removed from the keychain.\n`);
        break;
      }
    }
    await ctx.finish();
  } finally {
    await ctx.close();
  }
}

/** Joining needs no sign-in: the link (or an ID on Zoom's web host) goes to the browser as it is. */
async function join(text: string | undefined, print: boolean, io: CliIo): Promise<void> {
  if (text === undefined) throw usageError('Give a Zoom meeting link or ID to join.');
  const parsed = parseJoin(text, parseServiceUrl('ZOOM_OAUTH_URL', io.env.ZOOM_OAUTH_URL?.trim() || DEFAULT_OAUTH_URL));
  if (!parsed.ok) throw usageError(`That is not a Zoom meeting link or ID: it is ${parsed.found}.`);
  if (print) {
    io.stdout(`${parsed.url.href}\n`);
    return;
  }
  await openInBrowser(parsed.url, io.env).catch((err: unknown) => {
    throw isZoomTrayError(err) && err.kind === 'browser' ? new ZoomTrayError('browser', `${err.message} \`zoom-tray join --print\` prints it.`, { cause: err }) : err;
  });
  io.stderr(`Opened ${parsed.id ? `meeting ${spacedId(parsed.id)}` : 'the meeting'} in your browser.\n`);
}

interface MeetingRow {
  readonly account: Account | undefined;
  readonly meeting: ReturnType<typeof upcomingFrom>[number];
}

/**
 * One account's meetings, or every account's: each line then names its account. An account that
 * fails does not hide the others' meetings; its error is said, and sets the exit code.
 */
async function listMeetings(ctx: Context, named: Account | undefined, json: boolean): Promise<void> {
  const { io } = ctx;
  const list = await ctx.accounts.load();
  const accounts: (Account | undefined)[] = named ? [named] : list.accounts.length > 0 ? [...list.accounts] : [undefined];
  const several = accounts.length > 1;
  const rows: MeetingRow[] = [];
  let failure: unknown;
  const now = new Date();
  await Promise.all(
    accounts.map(async (account) => {
      try {
        const core = await ctx.core(account);
        for (const meeting of upcomingFrom(await core.api.upcomingMeetings(), now)) rows.push({ account, meeting });
      } catch (err) {
        if (!several) throw err;
        failure ??= err;
        io.stderr(`zoom-tray: ${account ? accountLabel(account) : ''}: ${describeError(err)}\n`);
      }
    }),
  );
  rows.sort((a, b) => a.meeting.start.getTime() - b.meeting.start.getTime());
  if (json) {
    const out = rows.map(({ account, meeting: m }) => ({
      id: m.id,
      topic: m.topic,
      start_time: m.start.toISOString(),
      duration: m.durationMinutes,
      join_url: m.joinUrl,
      ...(account ? { account: account.email, cloud: account.cloud } : {}),
    }));
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else if (rows.length === 0 && !failure) {
    io.stderr('No upcoming scheduled meetings.\n');
  } else {
    for (const { account, meeting: m } of rows) {
      const when = m.start.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
      io.stdout(`${when}  ${m.id}  ${printable(m.topic)}${several && account ? `  [${accountLabel(account)}]` : ''}\n`);
    }
  }
  if (isZoomTrayError(failure)) throw new ZoomTrayError(failure.kind, 'The meetings of some accounts could not be listed (said above).', { cause: failure });
  if (failure) throw failure;
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
      io.stdout(USAGE);
      return 0;
    }
    openLog(defaultDataDir(io.env), 'cli', logLevel(io.env));
    if (!isCommandName(command)) throw usageError(command ? `Unknown command "${printable(command)}".` : 'No command given.');
    log.info(`zoom-tray ${command}`);
    await run(command, rest, io, keychain);
    return 0;
  } catch (err) {
    log.error(`zoom-tray ${command ?? ''} failed`, err);
    io.stderr(`zoom-tray: ${describeError(err)}\n`);
    return isZoomTrayError(err) ? err.exitCode : 1;
  } finally {
    keychain.close();
  }
}
