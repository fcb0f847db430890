// The `zoom-tray` command's entry, bundled on its own and kept tiny: for a command that reads the
// keychain it starts the keychain process first, then loads the commands (undici, the schemas: most
// of the start-up time) while that process boots on another core, so the two waits overlap instead
// of adding up. It knows the commands by name only (./cli/command-names): loading them is the wait.
import { setFlagsFromString } from 'node:v8';
import { engines } from '../package.json';
import { readsKeychain } from './cli/command-names';
import { openLink } from './cli/open-link';
import { askTrayFirst } from './cli/tray-first';
import { nodeTooOld } from './lib/node-version';
import { forkKeychainProcess } from './session/keychain-process';

/** The first line of standard input (at most 64 KB): a secret given there stays out of the process list and the shell's history. */
function firstLine(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (): void => {
      process.stdin.pause();
      resolve(text.split(/\r?\n/)[0] ?? '');
    };
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n') || text.length > 65_536) done();
    });
    process.stdin.once('end', done);
    process.stdin.once('error', reject);
  });
}

/** The command run here: the keychain process first (when it reads the keychain), then the commands. */
function runHere(): void {
  const keychainProcess = readsKeychain(process.argv[2], process.argv.slice(3)) ? forkKeychainProcess() : undefined;
  // Not bundled into this file (scripts/build.mjs): loading it is what the keychain process overlaps.
  const { runCli } = require('./cli-commands.js') as typeof import('./cli/run');
  const io = { env: process.env, stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text), stdin: firstLine };
  void runCli(process.argv.slice(2), io, keychainProcess).then(exitWhenFlushed);
}

/** Exit once the output is flushed: nothing the command started may keep the process alive. */
function exitWhenFlushed(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

function main(): void {
  // undici parses HTTP with a WebAssembly module that V8 optimises again in the background, and a
  // process cannot exit before that finishes (~100 ms here). A command makes a handful of requests:
  // the baseline compiler is all it needs.
  setFlagsFromString('--liftoff-only');
  // The running tray answers what it can from its warm state (no keychain process, no request); it is
  // asked before anything starts, and a missing one costs a stat.
  const fromTray = askTrayFirst(process.argv.slice(2), process.env);
  if (!fromTray) return runHere();
  void fromTray.then((answer) => {
    if (answer === undefined) return runHere();
    if ('stdout' in answer) {
      process.stdout.write(answer.stdout);
      return exitWhenFlushed(0);
    }
    // `join next`: the link found by the tray, opened here as the CLI opens it. A browser that
    // cannot be started: the CLI runs the command itself, and says why in its own words.
    openLink(answer.open, answer.what, { env: process.env, stderr: (text) => process.stderr.write(text) }).then(
      () => exitWhenFlushed(0),
      () => runHere(),
    );
  });
}

// First: on an older Node the commands would fail later, in words about something else. Exit 2,
// lib/errors.ts's "usage" (a set-up to change).
const tooOld = nodeTooOld(process.versions.node, engines.node);
if (tooOld) {
  process.exitCode = 2;
  process.stderr.write(`zoom-tray: ${tooOld}\n`);
} else {
  main();
}
