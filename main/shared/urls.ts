import { ZoomTrayError } from '../lib/errors';
import { excerpt } from '../lib/redact';

/** URL rules shared by the main process and the settings window (no Node imports here). */

/** A fixed loopback redirect: Zoom matches redirect URIs exactly, port included. */
export const DEFAULT_REDIRECT_URI = 'http://localhost:47615/oauth/callback';
export const DEFAULT_OAUTH_URL = 'https://zoom.us';
export const DEFAULT_API_URL = 'https://api.zoom.us/v2';
export const DEFAULT_GOV_OAUTH_URL = 'https://zoomgov.com';
export const DEFAULT_GOV_API_URL = 'https://api.zoomgov.com/v2';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

function parseUrl(name: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new ZoomTrayError('usage', `${name} is not a valid URL: "${excerpt(value)}".`);
  }
}

/** Tokens travel to these bases, so plain http is only accepted on loopback (the simulator). */
export function parseServiceUrl(name: string, value: string): URL {
  const url = parseUrl(name, value);
  // Not repeated: the password would be shown.
  if (url.username || url.password) throw new ZoomTrayError('usage', `${name} must have no user name or password.`);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!secure || url.search || url.hash) {
    throw new ZoomTrayError('usage', `${name} must be an https URL without credentials or query (http is allowed only on localhost): "${excerpt(value)}".`);
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

export function parseRedirectUri(value: string, name = 'ZOOM_REDIRECT_URI'): URL {
  const url = parseUrl(name, value);
  // Not repeated: the password would be shown. A browser drops credentials from a redirect anyway.
  if (url.username || url.password) throw new ZoomTrayError('usage', `${name} must have no user name or password, as in ${DEFAULT_REDIRECT_URI}.`);
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname) || !url.port || url.search || url.hash) {
    throw new ZoomTrayError(
      'usage',
      `${name} must be a loopback URL with an explicit port, such as ${DEFAULT_REDIRECT_URI} (got "${excerpt(value)}").`,
    );
  }
  // Port 0 would listen wherever the OS chooses, never where Zoom sends the browser back.
  if (url.port === '0') throw new ZoomTrayError('usage', `${name} must use a port from 1 to 65535, such as ${DEFAULT_REDIRECT_URI} (got port 0).`);
  return url;
}

/** Joins a path below a base URL that may itself carry a path (e.g. /v2). */
export function endpoint(base: URL, suffix: string): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${suffix.replace(/^\/+/, '')}`;
  return url;
}
