/**
 * One error type for everything the user may see. `kind` decides the CLI exit code and the tray's
 * notification; `message` is one actionable sentence and never carries a secret.
 */
export type ErrorKind =
  | 'usage' // bad arguments or configuration; no network call was made
  | 'signed-out' // no session, or Zoom rejected it: sign in again
  | 'zoom' // Zoom refused the request; its own message is shown
  | 'keychain' // the OS keychain cannot be used
  | 'network'; // Zoom could not be reached

export const EXIT_CODES: Readonly<Record<ErrorKind, number>> = {
  usage: 2,
  'signed-out': 3,
  zoom: 4,
  keychain: 5,
  network: 6,
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
}

export class ZoomTrayError extends Error {
  override readonly name = 'ZoomTrayError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: ZoomTrayErrorDetails = {},
  ) {
    super(message);
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

export function isZoomTrayError(err: unknown): err is ZoomTrayError {
  return err instanceof ZoomTrayError;
}

const SECRET_PARAM = /\b(zak|token|code|code_verifier|refresh_token|access_token|client_secret)=[^&\s"'<>]+/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.?[A-Za-z0-9_-]*/g;

/** Masks anything token-shaped in text that is about to be shown or logged. */
export function redact(text: string): string {
  return text
    .replace(SECRET_PARAM, (_m, key: string) => `${key}=[redacted]`)
    .replace(BEARER, (_m, scheme: string) => `${scheme} [redacted]`)
    .replace(JWT, '[redacted]');
}

/** The one line a user sees for any error, known or not. */
export function describeError(err: unknown): string {
  if (isZoomTrayError(err)) return err.message;
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return `Unexpected error (${redact(message)}). Please report it.`;
}
