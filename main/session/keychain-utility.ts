import type { ForkOptions, UtilityProcess } from 'electron';
import type { SpawnKeychain } from './keychain-client';
import { keychainWorkerPath } from './keychain-process';

/**
 * The tray's keychain process: an Electron utility process (Electron's own way to run Node code
 * in a child it can kill; `ELECTRON_RUN_AS_NODE` is switched off by the app's fuses).
 */
export function utilityKeychain(fork: (modulePath: string, args: string[], options: ForkOptions) => UtilityProcess): SpawnKeychain {
  return () => {
    const child = fork(keychainWorkerPath(), [], { serviceName: 'zoom-tray keychain', stdio: 'ignore' });
    return {
      post: (request) => child.postMessage(request),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void child.on('exit', (code) => listener(`exit code ${code}`)),
      hold: () => undefined, // the tray lives on regardless
      kill: () => void child.kill(),
    };
  };
}
