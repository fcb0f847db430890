import os from 'node:os';
import path from 'node:path';
import { ZoomTrayError } from './errors';
import { DEFAULT_API_URL, DEFAULT_OAUTH_URL, DEFAULT_REDIRECT_URI, parseRedirectUri, parseServiceUrl } from './urls';

const DEFAULT_KEYCHAIN_SERVICE = 'zoom-tray';
const APP_DIR_NAME = 'zoom-tray';

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

/** What the settings file supplies; the environment wins over it. */
export interface ConfigSettings {
  readonly clientId: string;
  readonly redirectUri: string;
}

/** Finds the stored client secret of a confidential Zoom app (the keychain). */
export type ClientSecretLookup = (clientId: string) => Promise<string | undefined>;

export type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function keychainServiceName(env: Env): string {
  return nonEmpty(env.ZOOM_TRAY_KEYCHAIN_SERVICE) ?? DEFAULT_KEYCHAIN_SERVICE;
}

export function defaultDataDir(env: Env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  const override = nonEmpty(env.ZOOM_TRAY_DATA_DIR);
  if (override) return path.resolve(override);
  // The platform's own path rules, so the answer is right for `platform` wherever this runs.
  const paths = platform === 'win32' ? path.win32 : path.posix;
  if (platform === 'darwin') return paths.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') return paths.join(env.APPDATA ?? paths.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  return paths.join(nonEmpty(env.XDG_CONFIG_HOME) ?? paths.join(home, '.config'), APP_DIR_NAME);
}

/** The environment's client ID wins over the settings file's. */
export function clientIdInUse(env: Env, settings: Pick<ConfigSettings, 'clientId'>): string | undefined {
  return nonEmpty(env.ZOOM_CLIENT_ID) ?? nonEmpty(settings.clientId);
}

/**
 * The one configuration resolver of the CLI and the tray: environment first, then the settings
 * file, then defaults. The client secret is looked up for the client ID actually in use, and
 * only when ZOOM_CLIENT_SECRET does not give one. Throws a usage error naming the fix before any
 * network call is made.
 */
export async function resolveConfig(env: Env, settings: ConfigSettings, clientSecretFor: ClientSecretLookup): Promise<Config> {
  const clientId = clientIdInUse(env, settings);
  if (!clientId) {
    throw new ZoomTrayError(
      'usage',
      'No Zoom client ID is set: set ZOOM_CLIENT_ID to the client ID of your Zoom OAuth app (see README, "Create the Zoom app").',
    );
  }
  const redirectName = nonEmpty(env.ZOOM_REDIRECT_URI) ? 'ZOOM_REDIRECT_URI' : 'the redirect URI setting';
  const redirectUri = parseRedirectUri(nonEmpty(env.ZOOM_REDIRECT_URI) ?? nonEmpty(settings.redirectUri) ?? DEFAULT_REDIRECT_URI, redirectName);
  const oauthBase = parseServiceUrl('ZOOM_OAUTH_URL', nonEmpty(env.ZOOM_OAUTH_URL) ?? DEFAULT_OAUTH_URL);
  const apiBase = parseServiceUrl('ZOOM_API_URL', nonEmpty(env.ZOOM_API_URL) ?? DEFAULT_API_URL);
  const clientSecret = nonEmpty(env.ZOOM_CLIENT_SECRET) ?? nonEmpty(await clientSecretFor(clientId));
  return {
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    redirectUri,
    oauthBase,
    apiBase,
    keychainService: keychainServiceName(env),
    dataDir: defaultDataDir(env),
  };
}
