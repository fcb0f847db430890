import { describeError, isZoomTrayError } from '../lib/errors';

export interface Note {
  readonly title: string;
  readonly body: string;
  /** What a click on the notification does (settled when done). */
  readonly click?: () => Promise<unknown>;
  /** Buttons, where the OS shows them on a notification (macOS). */
  readonly actions?: readonly { readonly label: string; readonly run: () => unknown }[];
}

/** What the tray tells the user when something fails: what happened and what to do. */
export function noteFor(err: unknown, during: 'start' | 'copy' | 'sign-in' | 'refresh'): Note {
  if (!isZoomTrayError(err)) return { title: 'Something went wrong', body: describeError(err) };
  if (during === 'sign-in' && err.kind !== 'network' && err.kind !== 'keychain') {
    return { title: 'Sign-in did not complete', body: err.message };
  }
  if (err.details.noZak) return { title: 'Zoom cannot start meetings for this account', body: err.message };
  if (err.details.rateLimited) {
    const wait = err.details.rateLimited.retryAfterSeconds;
    return { title: 'Zoom is busy', body: `Zoom's rate limit was reached. Try again in ${wait === undefined ? 'a few seconds' : `${wait} seconds`}.` };
  }
  switch (err.kind) {
    case 'signed-out':
      return { title: 'Sign in to Zoom again', body: 'Zoom ended your sign-in. Choose "Sign in to Zoom…" in the zoom-tray menu, then try again.' };
    case 'network':
      return { title: 'Cannot reach Zoom', body: 'Check your internet connection, then try again.' };
    case 'keychain':
      return { title: 'The keychain is unavailable', body: err.message };
    case 'usage':
      return { title: "Check zoom-tray's settings", body: err.message };
    case 'zoom':
      return { title: 'Zoom refused', body: err.message };
    case 'browser':
      return { title: 'Could not open your browser', body: err.message };
    case 'local':
      return { title: "zoom-tray cannot use its data folder", body: err.message };
    case 'calendar':
      return { title: 'A calendar cannot be read', body: err.message };
  }
}
