import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

// Run from source (tests, tsx), the worker comes from the build: forking TypeScript would need a loader.
const WORKER = __filename.endsWith('.ts') ? path.resolve(__dirname, '../../dist/keychain-worker.js') : path.join(__dirname, 'keychain-worker.js');

export function keychainWorkerPath(): string {
  return WORKER;
}

/**
 * The CLI's keychain process: Node itself, with none of this process's loaders, flags or extra
 * CA certificates (it only speaks to the OS keychain, and each of those slows its start). Kept
 * apart from the client so the CLI's small entry can start it before loading anything else.
 */
export function forkKeychainProcess(): ChildProcess {
  const { NODE_OPTIONS: _options, NODE_EXTRA_CA_CERTS: _certs, ...env } = process.env;
  const child = fork(WORKER, [], { execArgv: [], env, stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'json' });
  // A spawn failure before anyone listens must not crash the CLI: whoever adopts the process sees it gone.
  child.on('error', () => undefined);
  return child;
}
