import type { KeychainClient } from './keychain-client';
import { keychainStore } from './secret-store';

/** The client secret of a confidential Zoom app, kept in the keychain beside (not in) the settings. */
export interface ClientSecrets {
  get(clientId: string): Promise<string | undefined>;
  set(clientId: string, secret: string | null): Promise<void>;
}

export function clientSecretService(service: string): string {
  return `${service}-client-secret`;
}

/** Client secrets live in their own keychain service, one entry per client ID. */
export function keychainClientSecrets(client: KeychainClient, service: string): ClientSecrets {
  const store = keychainStore(client, clientSecretService(service));
  return {
    get: (clientId) => store.get(clientId),
    set: (clientId, secret) => (secret === null ? store.delete(clientId) : store.set(clientId, secret)),
  };
}
