/** Messages between zoom-tray and its keychain process (main/session/keychain-worker.ts). */

export interface SecretEntry {
  readonly account: string;
  readonly secret: string;
}

export type KeychainRequest =
  | { readonly id: number; readonly op: 'get'; readonly service: string; readonly account: string }
  | { readonly id: number; readonly op: 'set'; readonly service: string; readonly account: string; readonly secret: string }
  | { readonly id: number; readonly op: 'delete'; readonly service: string; readonly account: string }
  /** The names (not the secrets) of this service's entries. */
  | { readonly id: number; readonly op: 'list'; readonly service: string }
  /** Entries that keytar (zoom-tray 0.1) wrote for this service; they are invisible to @napi-rs/keyring on Linux and Windows. */
  | { readonly id: number; readonly op: 'legacy-list'; readonly service: string }
  | { readonly id: number; readonly op: 'legacy-delete'; readonly service: string; readonly account: string };

export type KeychainReply =
  | { readonly id: number; readonly ok: true; readonly value?: string | null | readonly SecretEntry[] | readonly string[] }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly cause: KeychainFailure };

/** Why the keychain refused, as far as its message tells: each asks the user for something else. */
export type KeychainFailure = 'locked' | 'no-answer' | 'unavailable';

export function keychainFailure(message: string): KeychainFailure {
  // D-Bus's own timeout: a Secret Service that is frozen or swamped ("…did not send a reply…").
  if (/did not receive a reply|timed? ?out|no reply/i.test(message)) return 'no-answer';
  if (/\b(is locked|locked collection|prompt|dismissed)\b/i.test(message)) return 'locked';
  return 'unavailable';
}
