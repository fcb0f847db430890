import os from 'node:os';
import path from 'node:path';
import { ZoomTrayError } from './errors';

/** A fixed loopback redirect: Zoom matches redirect URIs exactly, port included. */
export const DEFAULT_REDIRECT_URI = 'http://localhost:47615/oauth/callback';
export const DEFAULT_OAUTH_URL = 'https://zoom.us';
export const DEFAULT_API_URL = 'https://api.zoom.us/v2';
export const DEFAULT_KEYCHAIN_SERVICE = 'zoom-tray';
export const APP_DIR_NAME = 'zoom-tray';

export interface Config {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly redirectUri: URL;
  /** Authorize, token, revoke and start URLs live here. */
  readonly oauthBase: URL;
  /** REST API base, ending in /v2 for Zoom. */
  readonly apiBase: URL;
  readonly keychainService: string;
  /** Where the app keeps settings and the refresh lock; shared by the CLI and the tray. */
  readonly dataDir: string;
}

/** Values the tray's settings file may supply; the environment wins over them. */
export interface ConfigOverrides {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly redirectUri?: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function parseUrl(name: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new ZoomTrayError('usage', `${name} is not a valid URL: "${value}".`);
  }
}

/** Tokens travel to these bases, so plain http is only accepted on loopback (the simulator). */
function parseServiceUrl(name: string, value: string): URL {
  const url = parseUrl(name, value);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!secure || url.username || url.password || url.search || url.hash) {
    throw new ZoomTrayError('usage', `${name} must be an https URL without credentials or query (http is allowed only on localhost): "${value}".`);
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

export function parseRedirectUri(value: string, name = 'ZOOM_REDIRECT_URI'): URL {
  const url = parseUrl(name, value);
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname) || !url.port || url.search || url.hash) {
    throw new ZoomTrayError(
      'usage',
      `${name} must be a loopback URL with an explicit port, such as ${DEFAULT_REDIRECT_URI} (got "${value}").`,
    );
  }
  return url;
}

export function defaultDataDir(env: Env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  const override = nonEmpty(env.ZOOM_TRAY_DATA_DIR);
  if (override) return path.resolve(override);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  return path.join(nonEmpty(env.XDG_CONFIG_HOME) ?? path.join(home, '.config'), APP_DIR_NAME);
}

/** Environment first, then the settings file, then defaults. Throws a usage error naming the fix. */
export function loadConfig(env: Env, overrides: ConfigOverrides = {}): Config {
  const clientId = nonEmpty(env.ZOOM_CLIENT_ID) ?? nonEmpty(overrides.clientId);
  if (!clientId) {
    throw new ZoomTrayError(
      'usage',
      'No Zoom client ID is set: set ZOOM_CLIENT_ID to the client ID of your Zoom OAuth app (see README, "Create the Zoom app").',
    );
  }
  const clientSecret = nonEmpty(env.ZOOM_CLIENT_SECRET) ?? nonEmpty(overrides.clientSecret);
  const redirectName = nonEmpty(env.ZOOM_REDIRECT_URI) ? 'ZOOM_REDIRECT_URI' : 'the redirect URI setting';
  return {
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    redirectUri: parseRedirectUri(
      nonEmpty(env.ZOOM_REDIRECT_URI) ?? nonEmpty(overrides.redirectUri) ?? DEFAULT_REDIRECT_URI,
      redirectName,
    ),
    oauthBase: parseServiceUrl('ZOOM_OAUTH_URL', nonEmpty(env.ZOOM_OAUTH_URL) ?? DEFAULT_OAUTH_URL),
    apiBase: parseServiceUrl('ZOOM_API_URL', nonEmpty(env.ZOOM_API_URL) ?? DEFAULT_API_URL),
    keychainService: nonEmpty(env.ZOOM_TRAY_KEYCHAIN_SERVICE) ?? DEFAULT_KEYCHAIN_SERVICE,
    dataDir: defaultDataDir(env),
  };
}

/** Joins a path below a base URL that may itself carry a path (e.g. /v2). */
export function endpoint(base: URL, suffix: string): URL {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${suffix.replace(/^\/+/, '')}`;
  return url;
}
