import { ZoomTrayError } from '../lib/errors';
import { parseTarget, type Target } from '../meetings/launcher';

/**
 * `--start pmi|next|instant|<meeting ID>` (or `--start=…`) on the app's own command line: a command
 * any desktop's custom-shortcut settings can bind, which works where global shortcuts do not (a
 * Wayland portal that refused, a desktop without one). Chromium may add switches of its own
 * anywhere in argv, so the flag is looked for, not expected at a position.
 */
export function startArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith('--start=')) return arg.slice('--start='.length);
    if (arg === '--start') return argv[i + 1] ?? '';
  }
  return undefined;
}

/** The app's URL scheme: `zoom-tray://start/pmi|next|instant|<id>`, `zoom-tray://join?url=…`. */
export const URL_SCHEME = 'zoom-tray';

/** A `zoom-tray:` link on the command line (Windows and Linux hand links over as an argument). */
export function linkArgument(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${URL_SCHEME}:`));
}

/** What a link any launcher can call asks for. */
export type LinkRequest = { readonly start: Target } | { readonly join: string };

/**
 * Reads a `zoom-tray:` link with the rules every other input has: `start/<meeting>` takes what
 * `--start` takes, `join?url=` what the clipboard join takes; anything else is a usage error.
 */
export function parseLink(text: string): LinkRequest {
  const refuse = (): ZoomTrayError =>
    new ZoomTrayError('usage', 'zoom-tray links are zoom-tray://start/pmi, …/start/next, …/start/instant, …/start/<meeting ID> or zoom-tray://join?url=<Zoom link>.');
  if (text.length > 2048) throw refuse();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse();
  }
  if (url.protocol !== `${URL_SCHEME}:` || url.username || url.password || url.port) throw refuse();
  const parts = url.pathname.split('/').filter(Boolean);
  if (url.hostname === 'start' && parts.length === 1 && !url.search) {
    let word: string;
    try {
      word = decodeURIComponent(parts[0] ?? '');
    } catch {
      throw refuse(); // a % that starts no escape
    }
    return { start: parseTarget(word) };
  }
  if (url.hostname === 'join' && parts.length === 0) {
    const join = url.searchParams.get('url') ?? url.searchParams.get('id');
    if (join && url.searchParams.size === 1) return { join };
  }
  throw refuse();
}

/** What a second launch hands to the running app (Electron's single-instance `additionalData`). */
export interface HandOff {
  readonly start?: string;
  readonly link?: string;
}

/**
 * What a hand-off asks for (a meeting to start, a link to join): from `additionalData` when the
 * second instance sent it, else from its argv. Anything else another process sends is refused
 * here, with the same rules as the CLI.
 */
export function handOffTarget(argv: readonly string[], additionalData: unknown): LinkRequest | undefined {
  const data = typeof additionalData === 'object' && additionalData !== null ? (additionalData as HandOff) : {};
  const link = typeof data.link === 'string' ? data.link : typeof data.start === 'string' ? undefined : linkArgument(argv);
  if (link !== undefined) return parseLink(link);
  const text = typeof data.start === 'string' ? data.start : startArgument(argv);
  if (text === undefined) return undefined;
  if (text.length > 64 || !text.trim()) throw new ZoomTrayError('usage', 'zoom-tray --start takes pmi, next, instant or a meeting ID.');
  return { start: parseTarget(text) };
}
