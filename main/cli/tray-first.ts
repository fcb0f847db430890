// What the CLI asks the running tray before anything else (before the keychain process starts):
// only commands whose every answer the tray can give from what it holds, with arguments the CLI
// itself would accept. Anything else, or no answer, and the CLI runs the command as it always has.
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { defaultDataDir, type Env } from '../core/config';
import { endpointFor } from '../endpoint/address';
import { askTray } from '../endpoint/client';
import { configDigest, type HeldTarget, type TrayRequest } from '../endpoint/protocol';
import { parseTarget } from '../meetings/launcher';
import { isAllowedZoomUrl } from '../zoom/start-url';
import { type Cloud, CLOUDS } from '../shared/clouds';

function parsed(args: readonly string[], options: ParseArgsOptionsConfig): ReturnType<typeof parseArgs> | undefined {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch {
    return undefined;
  }
}

function heldTarget(text: string | undefined): HeldTarget | undefined {
  try {
    const target = parseTarget(text);
    return target.kind === 'instant' ? undefined : target;
  } catch {
    return undefined;
  }
}

/** The request for `zoom-tray <argv>` when the tray may answer it: `start [pmi|next|ID] --print`, `accounts --json`, `meetings --json`, `join next [--print]`. */
export function trayRequestFor(argv: readonly string[], env: Env): TrayRequest | undefined {
  const [command, ...args] = argv;
  const config = configDigest(env);
  if (command === 'start') {
    const call = parsed(args, { print: { type: 'boolean' }, account: { type: 'string' }, cloud: { type: 'string' } });
    if (!call || call.values.print !== true || call.positionals.length > 1) return undefined;
    const target = heldTarget(call.positionals[0]);
    const { account: email, cloud } = call.values;
    if (!target || (cloud !== undefined && (email === undefined || !CLOUDS.includes(cloud as Cloud)))) return undefined;
    if (email === undefined) return { command: 'start-print', config, target };
    if (typeof email !== 'string' || email.trim() === '') return undefined;
    return { command: 'start-print', config, target, account: { email, ...(cloud === undefined ? {} : { cloud: cloud as Cloud }) } };
  }
  if (command === 'accounts') {
    const call = parsed(args, { json: { type: 'boolean' } });
    return call?.values.json === true && call.positionals.length === 0 ? { command: 'accounts-json', config } : undefined;
  }
  if (command === 'meetings') {
    // With --account the CLI lists that account alone (and no calendar): asked of Zoom.
    const call = parsed(args, { json: { type: 'boolean' } });
    return call?.values.json === true && call.positionals.length === 0 ? { command: 'meetings-json', config } : undefined;
  }
  if (command === 'join') {
    const call = parsed(args, { print: { type: 'boolean' } });
    return call?.positionals.length === 1 && call.positionals[0] === 'next' ? { command: 'join-next', config } : undefined;
  }
  return undefined;
}

/** What the running tray answered: what to print (exit 0, nothing on stderr), or a meeting's link to open (`join next`). */
export type FromTray = { readonly stdout: string } | { readonly open: URL; readonly what: string };

/** The origins of the configured Zoom bases (the simulator's), which the CLI opens links on too. */
function configuredOrigins(env: Env): string[] {
  return [env.ZOOM_OAUTH_URL, env.ZOOM_GOV_OAUTH_URL].flatMap((base) => {
    try {
      return base?.trim() ? [new URL(base.trim()).origin] : [];
    } catch {
      return [];
    }
  });
}

/**
 * The running tray's answer to `zoom-tray <argv>`, or undefined when it is not asked or does not
 * answer. Not worth a promise when there is nothing to ask.
 */
export function askTrayFirst(argv: readonly string[], env: Env): Promise<FromTray | undefined> | undefined {
  const request = trayRequestFor(argv, env);
  if (!request) return undefined;
  const endpoint = endpointFor(defaultDataDir(env), env, process.platform);
  const print = request.command !== 'join-next' || argv.includes('--print');
  return askTray(endpoint, request).then((answer) => {
    if (!answer?.ok) return undefined;
    if (print) return { stdout: answer.stdout };
    // `join next` opens a link: an answer without one, or with one the CLI itself would not open
    // (off Zoom's hosts and the configured base), is no answer.
    if (answer.what === undefined) return undefined;
    const link = new URL(answer.stdout.trim());
    return isAllowedZoomUrl(link, configuredOrigins(env)) ? { open: link, what: answer.what } : undefined;
  });
}
