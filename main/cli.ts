// The `zoom-tray` command's entry, bundled on its own and kept tiny: for a command that reads the
// keychain it starts the keychain process first, then loads the commands (undici, the schemas: most
// of the start-up time) while that process boots on another core, so the two waits overlap instead
// of adding up. It knows the commands by name only (./cli/command-names): loading them is the wait.
import { setFlagsFromString } from 'node:v8';
import { readsKeychain } from './cli/command-names';
import { forkKeychainProcess } from './session/keychain-process';

// undici parses HTTP with a WebAssembly module that V8 optimises again in the background, and a
// process cannot exit before that finishes (~100 ms here). A command makes a handful of requests:
// the baseline compiler is all it needs.
setFlagsFromString('--liftoff-only');

const command = process.argv[2];
const keychainProcess = readsKeychain(command, process.argv.slice(3)) ? forkKeychainProcess() : undefined;

// Not bundled into this file (scripts/build.mjs): loading it is what the keychain process overlaps.
const { runCli } = require('./cli-commands.js') as typeof import('./cli/run');
void runCli(process.argv.slice(2), { env: process.env, stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) }, keychainProcess).then(
  (code) => {
    // Exit once the output is flushed: nothing the command started may keep the process alive.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  },
);
