import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Config, defaultDataDir, type Env, keychainServiceName, resolveConfig } from './config';
import { Core, REVOKE_BY_HAND } from './core';
import { describeError, isZoomTrayError, ZoomTrayError } from './errors';
import { log, logLevel, openLog } from './log';
import { parseTarget } from './meetings/launcher';
import { upcomingFrom } from './meetings/upcoming';
import { printable } from './redact';
import { keychainClientSecrets } from './session/client-secrets';
import { forkKeychain, KeychainClient } from './session/keychain-client';
import { SESSION_ACCOUNT, START_CACHE_ACCOUNT } from './session/secret-store';
import { openInBrowser } from './open-browser';
import type { ChildProcess } from 'node:child_process';
import { migrateFromKeytar } from './session/keytar-migration';
import { SettingsStore } from './settings/store';
import type { ZoomUser } from './zoom/schemas';

const USAGE = `zoom-tray — start your Zoom meetings from the terminal

Usage:
  zoom-tray login [--no-open] [--timeout SECONDS]   sign in to Zoom in your browser
  zoom-tray start [pmi|instant|next|<meetingId>] [--print]
                                                    start a meeting (default: pmi, your personal room)
  zoom-tray meetings [--json]                       list your upcoming meetings
  zoom-tray whoami [--json]                         show who is signed in
  zoom-tray logout                                  revoke the sign-in at Zoom and forget it here

Options:
  --no-open   print the sign-in URL on stdout instead of opening the browser
  --print     print the start URL on stdout instead of opening it (it contains your start key)
  --json      machine-readable output

Exit codes: 0 ok, 2 usage, 3 not signed in, 4 Zoom refused, 5 keychain unavailable, 6 network,
7 browser could not be opened, 8 zoom-tray's data folder unusable.
Configuration: ZOOM_CLIENT_ID (required), ZOOM_CLIENT_SECRET, ZOOM_REDIRECT_URI, ZOOM_OAUTH_URL,
ZOOM_API_URL, ZOOM_TRAY_KEYCHAIN_SERVICE, ZOOM_TRAY_DATA_DIR, ZOOM_TRAY_LOG. See the README.
`;

export interface CliIo {
  readonly env: Env;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const COMMANDS = {
  login: { 'no-open': { type: 'boolean' }, timeout: { type: 'string' } },
  start: { print: { type: 'boolean' } },
  meetings: { json: { type: 'boolean' } },
  whoami: { json: { type: 'boolean' } },
  logout: {},
} as const;
type Command = keyof typeof COMMANDS;

function isCommand(name: string | undefined): name is Command {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

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

async function run(command: Command, args: string[], io: CliIo, keychain: KeychainClient): Promise<void> {
  const { values, positionals } = parse(command, args);
  const maxPositionals = command === 'start' ? 1 : 0;
  if (positionals.length > maxPositionals) throw usageError(`Unexpected argument "${printable(positionals[maxPositionals] ?? '')}".`);
  // Everything that can be checked without the network is checked before any call is made.
  const target = command === 'start' ? parseTarget(positionals[0]) : undefined;
  const loginTimeout = command === 'login' ? timeoutMs(values.timeout) : undefined;
  const core = new Core(await cliConfig(io, keychain), keychain);
  try {
    switch (command) {
      case 'login': {
        const user = await core.signIn({
          open: async (url) => {
            // The URL is always shown, so a browser that does not open never strands the sign-in.
            if (values['no-open']) {
              io.stdout(`${url.href}\n`);
              io.stderr(`Open the URL above in your browser to sign in; waiting on ${core.config.redirectUri.origin} …\n`);
              return;
            }
            io.stderr(`Sign in to Zoom in your browser. If it does not open, open this URL yourself:\n${url.href}\n`);
            try {
              await openInBrowser(url, io.env);
            } catch (err) {
              io.stderr(`zoom-tray: ${describeError(err)} Waiting for the sign-in from the URL above …\n`);
            }
          },
          ...(loginTimeout ? { timeoutMs: loginTimeout } : {}),
        });
        io.stderr(`Signed in as ${displayName(user)}.\n`);
        break;
      }
      case 'start': {
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
      case 'meetings': {
        const meetings = upcomingFrom(await core.api.upcomingMeetings(), new Date());
        if (values.json) {
          const rows = meetings.map((m) => ({ id: m.id, topic: m.topic, start_time: m.start.toISOString(), duration: m.durationMinutes, join_url: m.joinUrl }));
          io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        } else if (meetings.length === 0) {
          io.stderr('No upcoming scheduled meetings.\n');
        } else {
          for (const m of meetings) {
            const when = m.start.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
            io.stdout(`${when}  ${m.id}  ${printable(m.topic)}\n`);
          }
        }
        break;
      }
      case 'whoami': {
        const user = await core.api.me();
        if (values.json) {
          const { id, email, first_name, last_name, pmi, timezone } = user;
          io.stdout(`${JSON.stringify({ id, email, first_name, last_name, pmi, timezone }, null, 2)}\n`);
        } else {
          io.stdout(`${displayName(user)}${user.pmi ? `  (personal meeting ID ${user.pmi})` : ''}\n`);
        }
        break;
      }
      case 'logout': {
        const out = await core.signOut();
        if (!out) io.stderr('Not signed in.\n');
        else if (out.notRevoked) io.stderr(`Signed out ${printable(out.account)} on this computer. ${out.notRevoked} ${REVOKE_BY_HAND}\n`);
        else io.stderr(`Signed out ${printable(out.account)}; the sign-in was revoked at Zoom and removed from the keychain.\n`);
        break;
      }
    }
    // A renewed sign-in the keychain did not take would be gone when this process ends: say so.
    await core.session.flush();
  } finally {
    await core.close();
  }
}

/** The environment first, then the tray app's settings file (and its client secret in the keychain). */
async function cliConfig(io: CliIo, keychain: KeychainClient): Promise<Config> {
  const dataDir = defaultDataDir(io.env);
  const service = keychainServiceName(io.env);
  await migrateFromKeytar(keychain, service, dataDir).catch((err: unknown) => log.warn('moving keychain entries from keytar failed; will try again', err));
  const { settings, warning } = await new SettingsStore(path.join(dataDir, 'settings.json')).load({ keepAside: false });
  if (warning) io.stderr(`zoom-tray: warning: ${warning}\n`);
  const secrets = keychainClientSecrets(keychain, service);
  return resolveConfig(io.env, settings, (clientId) => secrets.get(clientId));
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
  if (command === 'start' || command === 'meetings' || command === 'whoami' || command === 'logout') {
    // Asked now, answered while the configuration is worked out.
    const service = keychainServiceName(io.env);
    keychain.prefetch(service, SESSION_ACCOUNT);
    keychain.prefetch(service, START_CACHE_ACCOUNT);
  }
  try {
    if (command === '--help' || command === '-h' || command === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    openLog(defaultDataDir(io.env), 'cli', logLevel(io.env));
    if (!isCommand(command)) throw usageError(command ? `Unknown command "${printable(command)}".` : 'No command given.');
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
