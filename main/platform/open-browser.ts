import { spawn } from 'node:child_process';
import type { Env } from '../core/config';
import { ZoomTrayError } from '../lib/errors';

export function opener(env: Env, platform: NodeJS.Platform): { command: string; args: string[] } {
  // $BROWSER (a command, or several separated by the path separator) wins, as for git, Python and
  // xdg-open; on Windows that separator is ';', since ':' is part of C:\ paths.
  const browser = env.BROWSER?.split(platform === 'win32' ? ';' : ':').find((c) => c.trim());
  if (browser) return { command: browser.trim(), args: [] };
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] };
  return { command: 'xdg-open', args: [] };
}

/**
 * Openers (xdg-open, open, rundll32) hand the URL over and exit, with a non-zero code when no
 * browser took it. A $BROWSER that is the browser itself keeps running instead: one still running
 * after this long has taken the URL.
 */
const SETTLE_MS = 3000;

/** The CLI's way to show a URL in the default browser (the tray uses shell.openExternal). */
export function openInBrowser(url: URL, env: Env, platform: NodeJS.Platform = process.platform): Promise<void> {
  const { command, args } = opener(env, platform);
  const failed = (why: string, cause?: unknown): ZoomTrayError =>
    new ZoomTrayError('browser', `Could not open your browser with "${command}" (${why}). Set BROWSER to your browser's command, or open the link yourself.`, {
      cause,
    });
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, url.href], { detached: true, stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.removeAllListeners();
      child.unref();
      resolve();
    }, SETTLE_MS);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(failed(err.code === 'ENOENT' ? 'no such program' : (err.code ?? err.message), err));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(failed(signal ? `it was stopped by ${signal}` : `it exited with code ${code}`));
    });
  });
}
