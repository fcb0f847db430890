// A link opened for the user: `join` opens it, and so does the CLI when the running tray found it.
import type { Env } from '../core/config';
import { isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { openInBrowser } from '../platform/open-browser';

/** The link in the browser, said on stderr; a browser that cannot be started says how to print it instead. */
export async function openLink(url: URL, what: string, io: { readonly env: Env; stderr(text: string): void }): Promise<void> {
  await openInBrowser(url, io.env).catch((err: unknown) => {
    throw isZoomTrayError(err) && err.kind === 'browser' ? new ZoomTrayError('browser', `${err.message} \`zoom-tray join --print\` prints it.`, { cause: err }) : err;
  });
  io.stderr(`Opened ${what} in your browser.\n`);
}
