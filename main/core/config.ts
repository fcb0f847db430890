import os from 'node:os';
import path from 'node:path';
import type { Cloud } from '../shared/clouds';
import { ZoomTrayError } from '../lib/errors';
import { DEFAULT_API_URL, DEFAULT_GOV_API_URL, DEFAULT_GOV_OAUTH_URL, DEFAULT_OAUTH_URL, DEFAULT_REDIRECT_URI, parseRedirectUri, parseServiceUrl } from '../shared/urls';

const DEFAULT_KEYCHAIN_SERVICE = 'zoom-tray';
const APP_DIR_NAME = 'zoom-tray';

/** Everything about one cloud's Zoom app, plus where this app keeps its things. */
export interface Config {
  readonly cloud: Cloud;
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
  readonly govClientId?: string;
  readonly govRedirectUri?: string;
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
export function clientIdInUse(env: Env, settings: Pick<ConfigSettings, 'clientId' | 'govClientId'>, cloud: Cloud = 'commercial'): string | undefined {
  return cloud === 'gov' ? (nonEmpty(env.ZOOM_GOV_CLIENT_ID) ?? nonEmpty(settings.govClientId)) : (nonEmpty(env.ZOOM_CLIENT_ID) ?? nonEmpty(settings.clientId));
}

/** ZoomGov's app: ZOOM_GOV_* first, then the settings (zoomgov.com and api.zoomgov.com unless overridden). */
function resolveGov(env: Env, settings: ConfigSettings): { clientId?: string; clientSecret?: string; redirect?: string; oauth: string; api: string } {
  const clientId = clientIdInUse(env, settings, 'gov');
  const clientSecret = nonEmpty(env.ZOOM_GOV_CLIENT_SECRET);
  const redirect = nonEmpty(env.ZOOM_GOV_REDIRECT_URI) ?? nonEmpty(settings.govRedirectUri);
  return {
    ...(clientId ? { clientId } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(redirect ? { redirect } : {}),
    oauth: nonEmpty(env.ZOOM_GOV_OAUTH_URL) ?? DEFAULT_GOV_OAUTH_URL,
    api: nonEmpty(env.ZOOM_GOV_API_URL) ?? DEFAULT_GOV_API_URL,
  };
}

/**
 * The one configuration resolver of the CLI and the tray: environment first, then the settings
 * file, then defaults. The client secret is looked up for the client ID actually in use, and
 * only when ZOOM_CLIENT_SECRET does not give one. Throws a usage error naming the fix before any
 * network call is made.
 */
export async function resolveConfig(env: Env, settings: ConfigSettings, clientSecretFor: ClientSecretLookup, cloud: Cloud = 'commercial'): Promise<Config> {
  if (cloud === 'gov') {
    const gov = resolveGov(env, settings);
    if (!gov.clientId) {
      throw new ZoomTrayError(
        'usage',
        'No ZoomGov client ID is set: enter your ZoomGov app\'s client ID in Settings, or set ZOOM_GOV_CLIENT_ID (the app is created at marketplace.zoomgov.com; see README, "ZoomGov").',
      );
    }
    const clientSecret = gov.clientSecret ?? nonEmpty(await clientSecretFor(gov.clientId));
    return {
      cloud,
      clientId: gov.clientId,
      ...(clientSecret ? { clientSecret } : {}),
      redirectUri: parseRedirectUri(gov.redirect ?? DEFAULT_REDIRECT_URI, 'ZOOM_GOV_REDIRECT_URI'),
      oauthBase: parseServiceUrl('ZOOM_GOV_OAUTH_URL', gov.oauth),
      apiBase: parseServiceUrl('ZOOM_GOV_API_URL', gov.api),
      keychainService: keychainServiceName(env),
      dataDir: defaultDataDir(env),
    };
  }
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
    cloud,
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    redirectUri,
    oauthBase,
    apiBase,
    keychainService: keychainServiceName(env),
    dataDir: defaultDataDir(env),
  };
}
