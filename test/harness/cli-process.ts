import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import type { Env } from '../../main/core/config';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface CliResult {
  /** null: killed by a signal (see timedOut). */
  readonly code: number | null;
  /** The harness killed it for outliving its time limit: a hang, not a crash. */
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Resolves with the first full line the CLI prints on stdout; rejects, with its stderr, if it ends without one. */
  readonly firstLine: Promise<string>;
  readonly done: Promise<CliResult>;
}

/** The built CLI run by this Node; an installed one is its bin (a .cmd on Windows, which only a shell runs). */
const BUILT: readonly string[] = [process.execPath, CLI];

/** Starts the CLI as a real process; it is killed if it outlives `timeoutMs`. */
/** The CLI's own bounds (a keychain prompt: 60 s, the refresh lock: 45 s) fit inside this default. */
export function spawnCli(args: readonly string[], env: Env, timeoutMs = 90_000, cli: readonly string[] = BUILT): RunningCli {
  const [file = '', ...before] = cli;
  const child = spawn(file, [...before, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], shell: file.endsWith('.cmd') });
  let stdout = '';
  let stderr = '';
  let onLine: ((line: string) => void) | undefined;
  let noLine: ((err: Error) => void) | undefined;
  const firstLine = new Promise<string>((resolve, reject) => {
    onLine = resolve;
    noLine = reject;
  });
  // Awaited or not: a CLI that ends without a line is the failure the test reports.
  firstLine.catch(() => undefined);
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const nl = stdout.indexOf('\n');
    if (nl >= 0) onLine?.(stdout.slice(0, nl));
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      noLine?.(new Error(`zoom-tray ${args.join(' ')} ended (exit ${code}) without a line on stdout: ${stderr}`));
      resolve({ code, timedOut, stdout, stderr });
    }),
  );
  return { child, firstLine, done };
}

export function runCli(args: readonly string[], env: Env, timeoutMs?: number, cli?: readonly string[]): Promise<CliResult> {
  return spawnCli(args, env, timeoutMs, cli).done;
}
