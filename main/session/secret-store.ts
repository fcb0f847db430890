import type { KeychainClient } from './keychain-client';

/** The keychain account that holds the session; the Zoom e-mail is inside. */
export const SESSION_ACCOUNT = 'session';
/** The keychain account, beside the session's, that holds what a start needs besides the sign-in. */
export const START_CACHE_ACCOUNT = 'start-cache';

/** The OS keychain under one service name, as the session and the client-secret store use it. */
export interface SecretStore {
  /** `fresh`: asked of the keychain now, never an answer read ahead (see KeychainClient.prefetch). */
  get(account: string, options?: { fresh?: boolean }): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

export function keychainStore(client: KeychainClient, service: string): SecretStore {
  return {
    get: (account, options) => client.get(service, account, options),
    set: (account, secret) => client.set(service, account, secret),
    delete: (account) => client.delete(service, account),
  };
}
