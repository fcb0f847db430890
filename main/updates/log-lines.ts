/**
 * electron-updater logs the URLs it fetches and puts response headers into its errors. GitHub
 * sends release downloads on to signed URLs whose query string is a credential (X-Amz-Signature,
 * jwt=…), and a private feed's token can sit in the user-info part. Paths are kept: they say what
 * was fetched, which is what a log reader needs.
 */
const URL_PARTS = /\b(https?:\/\/)(?:[^\s/?#@"'<>]*@)?([^\s?#"'<>]*)(\?[^\s#"'<>]*)?(#[^\s"'<>]*)?/gi;

export function scrubUrls(text: string): string {
  return text.replace(URL_PARTS, (_m, scheme: string, rest: string, query: string | undefined) => `${scheme}${rest}${query ? '?[redacted]' : ''}`);
}

/** electron-updater hands its logger strings, Errors or anything else; one scrubbed line of text. */
export function logLine(message: unknown): string {
  const text = message instanceof Error ? (message.stack ?? message.message) : typeof message === 'string' ? message : String(message);
  return scrubUrls(text);
}
