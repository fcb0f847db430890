import { ZoomTrayError } from '../errors';

export interface SecretEntry {
  readonly account: string;
  readonly secret: string;
}

/** The OS keychain, for one service name. The only file that knows keytar. */
export interface SecretStore {
  list(): Promise<SecretEntry[]>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

interface KeytarApi {
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const FIX =
  'zoom-tray keeps your Zoom sign-in only in the OS keychain. On Linux, install and unlock a Secret Service ' +
  '(for example: apt install gnome-keyring libsecret-1-0, then log in to a desktop session).';

function unavailable(reason: string): ZoomTrayError {
  return new ZoomTrayError('keychain', `The OS keychain is unavailable (${reason}). ${FIX}`);
}

/**
 * keytar is loaded on first use, so a machine without libsecret still runs `--help` and gets a
 * clear keychain error instead of a crash at start-up. There is deliberately no plaintext fallback.
 */
export function keytarStore(service: string, load: () => Promise<KeytarApi> = loadKeytar): SecretStore {
  let keytar: Promise<KeytarApi> | undefined;
  const api = (): Promise<KeytarApi> => {
    keytar ??= load().catch((err: unknown) => {
      keytar = undefined;
      throw unavailable(`keytar could not be loaded: ${(err as Error).message.split('\n')[0]}`);
    });
    return keytar;
  };
  const guard = async <T>(op: (k: KeytarApi) => Promise<T>): Promise<T> => {
    const k = await api();
    try {
      return await op(k);
    } catch (err) {
      throw unavailable((err as Error).message.split('\n')[0] ?? 'unknown error');
    }
  };
  return {
    list: () => guard(async (k) => (await k.findCredentials(service)).map((c) => ({ account: c.account, secret: c.password }))),
    set: (account, secret) => guard((k) => k.setPassword(service, account, secret)),
    delete: (account) => guard(async (k) => void (await k.deletePassword(service, account))),
  };
}

async function loadKeytar(): Promise<KeytarApi> {
  const mod = (await import('keytar')) as KeytarApi & { default?: KeytarApi };
  return mod.default ?? mod;
}
