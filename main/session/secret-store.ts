import type { KeychainClient } from './keychain-client';

/** The OS keychain under one service name, as the session and the client-secret store use it. */
export interface SecretStore {
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

export function keychainStore(client: KeychainClient, service: string): SecretStore {
  return {
    get: (account) => client.get(service, account),
    set: (account, secret) => client.set(service, account, secret),
    delete: (account) => client.delete(service, account),
  };
}
