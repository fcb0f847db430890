import { spawn } from 'node:child_process';
import type { Env } from './config';
import { ZoomTrayError } from './errors';

function opener(env: Env, platform: NodeJS.Platform): { command: string; args: string[] } {
  // $BROWSER (a command, or several separated by ':') wins, as for git, Python and xdg-open.
  const browser = env.BROWSER?.split(':').find((c) => c.trim());
  if (browser) return { command: browser.trim(), args: [] };
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] };
  return { command: 'xdg-open', args: [] };
}

/** The CLI's way to show a URL in the default browser (the tray uses shell.openExternal). */
export function openInBrowser(url: URL, env: Env, platform: NodeJS.Platform = process.platform): Promise<void> {
  const { command, args } = opener(env, platform);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, url.href], { detached: true, stdio: 'ignore' });
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new ZoomTrayError(
          'usage',
          `Could not open a browser with "${command}" (${err.code ?? err.message}). Set BROWSER, or use --no-open / --print and open the URL yourself.`,
        ),
      ),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
