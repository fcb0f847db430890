// The running tray's endpoint speaks this: one request per connection, one JSON line each way, with
// a version and a length limit. Both sides check what they read here; nothing else reads the wire.
import { createHash } from 'node:crypto';
import { printable } from '../lib/redact';
import { type Cloud, CLOUDS } from '../shared/clouds';

export const PROTOCOL_VERSION = 1;
/** A request names a command, a meeting and an account: anything longer is not one. */
export const MAX_REQUEST_BYTES = 4096;
/** An answer is what the CLI prints: a start URL, or the account list (itself at most 256 KB). */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** The meetings the tray can start from what it holds: `instant` creates one (a request to Zoom), so it is never asked. */
export type HeldTarget = { readonly kind: 'pmi' } | { readonly kind: 'next' } | { readonly kind: 'id'; readonly id: string };

export type TrayRequest = {
  /** The CLI's configuration (configDigest): a tray set up otherwise declines, and the CLI answers itself. */
  readonly config: string;
} & (
  | { readonly command: 'start-print'; readonly target: HeldTarget; readonly account?: { readonly email: string; readonly cloud?: Cloud } }
  | { readonly command: 'accounts-json' | 'meetings-json' | 'join-next' }
);

/** Why the tray did not answer: the CLI then runs the command itself, whatever the reason. */
export type Declined = 'version' | 'bad-request' | 'too-large' | 'other-config' | 'not-ready' | 'not-held' | 'failed';

/** `what`: the link in `stdout` is a meeting to open (`join next`), and this names it. */
export type TrayAnswer = { readonly ok: true; readonly stdout: string; readonly what?: string } | { readonly ok: false; readonly why: Declined };

/**
 * What makes the CLI's answer differ from the tray's besides the data folder (which picks the
 * endpoint): the keychain service and Zoom's settings in the environment. Secrets stay out; the
 * log level changes nothing printed.
 */
export function configDigest(env: Readonly<Record<string, string | undefined>>): string {
  const names = Object.keys(env)
    .filter((name) => name.startsWith('ZOOM_') && !name.includes('SECRET') && name !== 'ZOOM_TRAY_LOG')
    .sort();
  return createHash('sha256')
    .update(JSON.stringify(names.map((name) => [name, env[name]?.trim() ?? ''])))
    .digest('hex');
}

export function requestLine(request: TrayRequest): string {
  return `${JSON.stringify({ v: PROTOCOL_VERSION, ...request })}\n`;
}

export function answerLine(answer: TrayAnswer): string {
  return `${JSON.stringify({ v: PROTOCOL_VERSION, ...answer })}\n`;
}

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: Declined };

function object(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function onlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(value).every((key) => keys.includes(key));
}

function heldTarget(value: unknown): HeldTarget | undefined {
  const { kind, id } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if ((kind === 'pmi' || kind === 'next') && id === undefined) return { kind };
  if (kind === 'id' && typeof id === 'string' && /^\d{9,12}$/.test(id)) return { kind, id };
  return undefined;
}

function accountName(value: unknown): { email: string; cloud?: Cloud } | undefined | false {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || !onlyKeys(value as Record<string, unknown>, ['email', 'cloud'])) return false;
  const { email, cloud } = value as Record<string, unknown>;
  if (typeof email !== 'string' || email.length === 0 || email.length > 320) return false;
  if (cloud === undefined) return { email };
  return CLOUDS.includes(cloud as Cloud) ? { email, cloud: cloud as Cloud } : false;
}

/** A request as the tray reads it: one line, checked field by field; anything else is declined, never thrown. */
export function parseRequest(line: string): Parsed<TrayRequest> {
  if (Buffer.byteLength(line) > MAX_REQUEST_BYTES) return { ok: false, why: 'too-large' };
  const value = object(line);
  if (!value) return { ok: false, why: 'bad-request' };
  if (value.v !== PROTOCOL_VERSION) return { ok: false, why: 'version' };
  const { command, config } = value;
  if (typeof config !== 'string' || !/^[0-9a-f]{64}$/.test(config)) return { ok: false, why: 'bad-request' };
  if ((command === 'accounts-json' || command === 'meetings-json' || command === 'join-next') && onlyKeys(value, ['v', 'command', 'config'])) return { ok: true, value: { command, config } };
  if (command === 'start-print' && onlyKeys(value, ['v', 'command', 'config', 'target', 'account'])) {
    const target = heldTarget(value.target);
    const account = accountName(value.account);
    if (target && account !== false) return { ok: true, value: { command, config, target, ...(account ? { account } : {}) } };
  }
  return { ok: false, why: 'bad-request' };
}

function webAddress(text: string): boolean {
  return URL.canParse(text) && ['https:', 'http:'].includes(new URL(text).protocol);
}

const DECLINED: readonly Declined[] = ['version', 'bad-request', 'too-large', 'other-config', 'not-ready', 'not-held', 'failed'];

/**
 * An answer as the CLI reads it. What it prints goes to the terminal: printable lines only (no
 * control character but the line ends), ending with a line end.
 */
export function parseAnswer(line: string): TrayAnswer | undefined {
  if (Buffer.byteLength(line) > MAX_ANSWER_BYTES) return undefined;
  const value = object(line);
  if (!value || value.v !== PROTOCOL_VERSION) return undefined;
  if (value.ok === true && onlyKeys(value, ['v', 'ok', 'stdout', 'what'])) {
    const { stdout, what } = value;
    if (typeof stdout !== 'string' || !stdout.endsWith('\n')) return undefined;
    const lines = stdout.slice(0, -1).split('\n');
    if (lines.some((text) => printable(text) !== text)) return undefined;
    if (what === undefined) return { ok: true, stdout };
    // A link to open: one web address, named in one printable line.
    if (typeof what !== 'string' || printable(what) !== what || what.includes('\n') || lines.length !== 1 || !webAddress(lines[0] ?? '')) return undefined;
    return { ok: true, stdout, what };
  }
  if (value.ok === false && DECLINED.includes(value.why as Declined) && onlyKeys(value, ['v', 'ok', 'why'])) return { ok: false, why: value.why as Declined };
  return undefined;
}
