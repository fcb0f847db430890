import { ZoomTrayError } from './errors';
import { parseTarget, type Target } from './meetings/launcher';

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

/** What a second launch hands to the running app (Electron's single-instance `additionalData`). */
export interface HandOff {
  readonly start?: string;
}

/**
 * The meeting a hand-off asks for: from `additionalData` when the second instance sent it, else
 * from its argv. Anything else another process sends is refused here, with the same rules as the CLI.
 */
export function handOffTarget(argv: readonly string[], additionalData: unknown): Target | undefined {
  const sent = typeof additionalData === 'object' && additionalData !== null ? (additionalData as HandOff).start : undefined;
  const text = typeof sent === 'string' ? sent : startArgument(argv);
  if (text === undefined) return undefined;
  if (text.length > 64 || !text.trim()) throw new ZoomTrayError('usage', 'zoom-tray --start takes pmi, next, instant or a meeting ID.');
  return parseTarget(text);
}
