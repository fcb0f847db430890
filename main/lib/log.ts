import { appendFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '../core/config';
import { errorChain } from './errors';
import { printable, redact } from './redact';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A log file stays small enough to attach to a bug report; two older ones are kept. */
const MAX_BYTES = 1024 * 1024;
const KEEP = 2;

export const LOG_FILE = 'zoom-tray.log';

interface Sink {
  readonly file: string;
  readonly level: Level;
  readonly tag: string;
  size: number;
}

let sink: Sink | undefined;

/** The level the user asked for with ZOOM_TRAY_LOG (debug, info, warn, error); info by default. */
export function logLevel(env: Env): Level {
  const asked = env.ZOOM_TRAY_LOG?.trim().toLowerCase();
  return asked && asked in RANK ? (asked as Level) : 'info';
}

/**
 * Starts logging to `<dataDir>/zoom-tray.log`, shared by the tray and every CLI run (each line
 * names its process); the caller has made the folder (makeDir). Logging never fails the app: a
 * data folder that cannot be written just means no log.
 */
export function openLog(dataDir: string, tag: string, level: Level): void {
  const file = path.join(dataDir, LOG_FILE);
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // a new file, or no usable folder: writes will tell
  }
  sink = { file, level, tag: `${tag} ${process.pid}`, size };
}

function rotate(file: string): void {
  for (let i = KEEP; i > 0; i--) {
    try {
      renameSync(i === 1 ? file : `${file}.${i - 1}`, `${file}.${i}`);
    } catch {
      // nothing to move at this step
    }
  }
}

function write(level: Level, message: string, err?: unknown): void {
  const s = sink;
  if (!s || RANK[level] < RANK[s.level]) return;
  const text = err === undefined ? message : `${message}\n${errorChain(err)}`;
  // Every line passes the redactor, which knows each secret value this process has seen, and
  // loses control characters, so nothing from outside can forge or hide a line.
  const body = text.split('\n').map((part) => printable(redact(part))).join('\n  ');
  const line = `${new Date().toISOString()} ${level} [${s.tag}] ${body}\n`;
  try {
    if (s.size + line.length > MAX_BYTES) {
      rotate(s.file);
      s.size = 0;
    }
    appendFileSync(s.file, line, { mode: 0o600 });
    s.size += Buffer.byteLength(line);
  } catch {
    // logging must never be the reason something fails
  }
}

export const log = {
  debug: (message: string): void => write('debug', message),
  info: (message: string): void => write('info', message),
  warn: (message: string, err?: unknown): void => write('warn', message, err),
  error: (message: string, err?: unknown): void => write('error', message, err),
};
