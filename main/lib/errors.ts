import { printable, redact } from './redact';

/**
 * One error type for everything the user may see. `kind` decides the CLI exit code and the tray's
 * notification; `message` says what happened and what to do next, and never carries a secret or a
 * control character (every message passes the redactor and `printable`). `cause` keeps the
 * underlying error for the log.
 */
export type ErrorKind =
  | 'usage' // bad arguments or configuration; no network call was made
  | 'signed-out' // no session, or Zoom ended it: sign in again
  | 'zoom' // Zoom refused the request or answered something unusable; its own message is shown
  | 'keychain' // the OS keychain cannot be used, is locked, or did not answer in time
  | 'network' // Zoom could not be reached
  | 'browser' // the browser could not be opened
  | 'local' // a problem with zoom-tray's own files on this computer (data folder, refresh lock)
  | 'calendar'; // a calendar's address answered something unusable: not a calendar, too big, refused

export const EXIT_CODES: Readonly<Record<ErrorKind, number>> = {
  usage: 2,
  'signed-out': 3,
  zoom: 4,
  keychain: 5,
  network: 6,
  browser: 7,
  local: 8,
  calendar: 9,
};

export interface ZoomTrayErrorDetails {
  /** Zoom's numeric error code, or the OAuth `error` string. */
  readonly zoomCode?: number | string;
  /** Set when Zoom refused because of its rate limit; seconds to wait when Zoom said so. */
  readonly rateLimited?: { readonly retryAfterSeconds?: number };
  /** Zoom rejected the refresh token itself (invalid_grant): only then may it be deleted. */
  readonly tokenRejected?: boolean;
  /** The Zoom user cannot get a ZAK because they sign in to Zoom with Google or Facebook. */
  readonly noZak?: boolean;
  /**
   * The request may have reached Zoom before the failure (a timeout, a dropped answer, a refused
   * refresh other than invalid_grant; not a refused connection).
   */
  readonly maybeDelivered?: boolean;
  /** Signed out because the keychain entry is gone (a sign-out elsewhere, as the CLI's logout), not because Zoom ended it. */
  readonly entryGone?: boolean;
}

export interface ZoomTrayErrorOptions extends ZoomTrayErrorDetails {
  readonly cause?: unknown;
}

export class ZoomTrayError extends Error {
  override readonly name = 'ZoomTrayError';
  readonly details: ZoomTrayErrorDetails;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options: ZoomTrayErrorOptions = {},
  ) {
    const { cause, ...details } = options;
    // Messages carry Zoom's own text at times: shown, never obeyed by a terminal.
    super(printable(redact(message)), cause === undefined ? undefined : { cause });
    this.details = details;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

export function isZoomTrayError(err: unknown): err is ZoomTrayError {
  return err instanceof ZoomTrayError;
}

/** The one line a user sees for any error, known or not. */
export function describeError(err: unknown): string {
  if (isZoomTrayError(err)) return err.message;
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return `Unexpected error (${printable(redact(message))}). Please report it with the log file from the data folder.`;
}

/** An error and its causes, one per line, redacted: for the log file, never for a notification. */
export function errorChain(err: unknown): string {
  const lines: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      lines.push(`${depth ? 'caused by ' : ''}${current.name}${code === undefined ? '' : ` [${String(code)}]`}: ${current.message}`);
      current = current.cause;
    } else {
      lines.push(`${depth ? 'caused by ' : ''}${String(current)}`);
      current = undefined;
    }
  }
  return redact(lines.join('\n'));
}
