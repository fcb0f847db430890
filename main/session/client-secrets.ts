import type { ClientSecrets } from '../app/controller';
import { keytarStore } from './secret-store';

/** A confidential app's client secret, in its own keychain service (the session's holds one entry only). */
export function keychainClientSecrets(service: string): ClientSecrets {
  const store = keytarStore(`${service}-client-secret`);
  return {
    get: async (clientId) => (await store.list()).find((e) => e.account === clientId)?.secret,
    set: (clientId, secret) => (secret === null ? store.delete(clientId) : store.set(clientId, secret)),
  };
}
