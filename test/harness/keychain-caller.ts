/**
 * A process that reads one keychain entry through the CLI's KeychainClient, from a keychain process
 * the test chose, with a short bound, then exits as the CLI does (main/cli.ts: process.exit with the
 * error's code). Prints the keychain process's pid first. Usage: keychain-caller.ts WORKER [ARG]
 */
import { fork } from 'node:child_process';
import { isZoomTrayError } from '../../main/lib/errors';
import { forkKeychain, KeychainClient } from '../../main/session/keychain-client';

const [worker = '', ...args] = process.argv.slice(2);
const child = fork(worker, args, { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
process.stdout.write(`${child.pid}\n`);
const client = new KeychainClient({ spawn: () => forkKeychain(child), timeoutMs: 1_000 });
client.get('zoom-tray-test-stuck', 'session').then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(isZoomTrayError(err) ? err.exitCode : 1);
  },
);
