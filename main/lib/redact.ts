/**
 * Redaction by value and by shape. Every secret zoom-tray handles (tokens, the authorization code,
 * the PKCE verifier, the client secret, ZAKs) is remembered here the moment it exists, so any text
 * about to be shown or logged loses it whatever its shape. The shape rules catch what was never
 * seen by this process (a token echoed by a proxy, a URL pasted into an error).
 */

/** Values shorter than this are not masked by value: they would mangle ordinary words. */
const MIN_LENGTH = 8;
/**
 * Tokens rotate hourly and ZAKs every two hours: about 1,900 values a month for each account. The
 * tray runs for weeks, so this holds a month of two accounts (a few MB at most) before the least
 * recently seen goes; a secret still in use (the client secret, a calendar's address) is seen again
 * at each use, so it is never the one to go.
 */
const MAX_REMEMBERED = 4096;

/** In the order last seen, oldest first. */
const known = new Set<string>();
/** `known`, longest first (a secret that contains another is masked whole); rebuilt after a change. */
let longestFirst: string[] | undefined;

export function rememberSecret(value: string | undefined | null): void {
  if (!value || value.length < MIN_LENGTH) return;
  if (known.delete(value)) {
    known.add(value);
    return;
  }
  known.add(value);
  if (known.size > MAX_REMEMBERED) known.delete(known.values().next().value as string);
  longestFirst = undefined;
}

/** Fields of zoom-tray's keychain entries (a sign-in, a start cache) that hold a secret. */
const SECRET_KEY = /token|zak|secret/i;

/**
 * A value read from or written to the keychain: all of it (a client secret, a calendar's address),
 * and each secret field of an entry in JSON. Remembered by the keychain client, so every secret
 * this process reads is masked, whichever account it belongs to and whichever module reads it.
 */
export function rememberStored(secret: string): void {
  rememberSecret(secret);
  let value: unknown;
  try {
    value = JSON.parse(secret);
  } catch {
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, field] of Object.entries(value)) if (SECRET_KEY.test(key) && typeof field === 'string') rememberSecret(field);
}

const SECRET_PARAM = /\b(zak|token|code|code_verifier|refresh_token|access_token|client_secret|state)=[^&\s"'<>]+/gi;
const SECRET_FIELD = /"(zak|token|code|code_verifier|refresh_token|access_token|client_secret|password|accessToken|refreshToken)"\s*:\s*"[^"]*"/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.?[A-Za-z0-9_-]*/g;

/**
 * Masks every remembered secret, and only those: for text shown as Zoom wrote it (an invitation),
 * where the shape rules would mangle ordinary words ("Basic training").
 */
export function redactKnown(text: string): string {
  let out = text;
  longestFirst ??= [...known].sort((a, b) => b.length - a.length);
  for (const value of longestFirst) {
    if (out.includes(value)) out = out.split(value).join('[redacted]');
  }
  return out;
}

/** Masks every remembered secret, then anything token-shaped. */
export function redact(text: string): string {
  return redactKnown(text)
    .replace(SECRET_PARAM, (_m, key: string) => `${key}=[redacted]`)
    .replace(SECRET_FIELD, (_m, key: string) => `"${key}":"[redacted]"`)
    .replace(BEARER, (_m, scheme: string) => `${scheme} [redacted]`)
    .replace(JWT, '[redacted]');
}

/**
 * Text from outside (a meeting topic, a user name, Zoom's error message) made safe for a terminal
 * or a menu: control characters (ESC sequences, OSC, carriage returns, bidi overrides) become
 * visible placeholders instead of acting on the screen.
 */
export function printable(text: string): string {
  // C0 and C1 controls, DEL, Unicode bidi marks and overrides that reorder what is shown (the Arabic
  // letter mark too), and the line and paragraph separators that break a line.
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\uFFFD');
}

/**
 * At most `max` characters of outside text, printable, "…" marking a cut: what an error quotes of
 * what it was given, never all of it (a 5 MB argument or a Zoom answer would otherwise be repeated whole).
 */
export function excerpt(text: string, max = 80): string {
  if (text.length <= max) return printable(text);
  // Never half of a surrogate pair at the cut.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${printable(text.slice(0, end))}…`;
}
