import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { calendarAddressService, calendarListFor } from '../../main/calendars/calendar-list';
import { type Config, type Env, resolveConfig } from '../../main/core/config';
import { Core } from '../../main/core/core';
import { KeychainClient } from '../../main/session/keychain-client';
import { SESSION_ACCOUNT, START_CACHE_ACCOUNT } from '../../main/session/secret-store';
import { DEFAULT_SETTINGS } from '../../main/shared/settings-schema';
import { startZoomSim, type SimClient, type SimOptions, type ZoomSim } from '../zoom-sim/server';

/** The configuration the CLI would resolve from `env` alone (no settings file, no stored client secret). */
export function configFor(env: Env): Promise<Config> {
  return resolveConfig(env, DEFAULT_SETTINGS, async () => undefined);
}

/** What the keychain holds for a session, as the test reads it back. */
export interface StoredSession {
  readonly account: string;
  readonly refreshToken: string;
  readonly accessToken: string;
  readonly accessTokenExpiresAt: number;
}

/** A port that was free a moment ago, for a fixed loopback redirect URI. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface World {
  readonly sim: ZoomSim;
  readonly redirectUri: string;
  readonly dataDir: string;
  readonly keychainService: string;
  /** The environment the CLI and the core read, pointed at the simulator. */
  readonly env: Env;
  /** The test's own way into the keychain (the app's keychain process, as the CLI uses it). */
  readonly keychain: KeychainClient;
  /** The session entry as stored, or undefined when signed out. */
  stored(): Promise<StoredSession | undefined>;
  /** A core on this world; closed with the world. */
  core(env?: Env, options?: { httpTimeoutMs?: number }): Promise<Core>;
  /** Signs in through the consent page over HTTP, as a browser would. */
  signIn(): Promise<void>;
  close(): Promise<void>;
}

/** A simulator, a registered loopback redirect, a private keychain service and data folder. */
export async function world(options: { client?: Partial<SimClient>; sim?: SimOptions } = {}): Promise<World> {
  const redirectUri = `http://localhost:${await freePort()}/oauth/callback`;
  const client: SimClient = { clientId: `client-${randomBytes(4).toString('hex')}`, redirectUris: [redirectUri], ...options.client };
  const sim = await startZoomSim({ ...options.sim, clients: [client] });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zoom-tray-test-'));
  const keychainService = `zoom-tray-test-${randomBytes(6).toString('hex')}`;
  const env: Env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS,
    XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR,
    ZOOM_CLIENT_ID: client.clientId,
    ...(client.clientSecret ? { ZOOM_CLIENT_SECRET: client.clientSecret } : {}),
    ZOOM_REDIRECT_URI: redirectUri,
    ZOOM_OAUTH_URL: sim.oauthBase,
    ZOOM_API_URL: sim.apiBase,
    ZOOM_TRAY_KEYCHAIN_SERVICE: keychainService,
    ZOOM_TRAY_DATA_DIR: dataDir,
  };
  const keychain = new KeychainClient();
  const cores: Core[] = [];
  const core = async (coreEnv: Env = env, options: { httpTimeoutMs?: number } = {}): Promise<Core> => {
    const c = new Core(await configFor(coreEnv), keychain, options);
    cores.push(c);
    return c;
  };
  return {
    sim,
    redirectUri,
    dataDir,
    keychainService,
    env,
    keychain,
    stored: async () => {
      const secret = await keychain.get(keychainService, SESSION_ACCOUNT);
      return secret === undefined ? undefined : (JSON.parse(secret) as StoredSession);
    },
    core,
    signIn: async () => {
      await (await core()).addAccount({ open: (url) => consentOverHttp(url) });
    },
    close: async () => {
      await Promise.all(cores.map((c) => c.close()));
      // The calendars a test added: their addresses are keychain entries, read from the list in the
      // data folder, so before that goes (a test's own t.after would run after this close).
      const calendars = await calendarListFor(keychain, dataDir, keychainService).load().catch(() => []);
      for (const c of calendars) await keychain.delete(calendarAddressService(keychainService), c.id).catch(() => undefined);
      await keychain.delete(keychainService, SESSION_ACCOUNT).catch(() => undefined);
      await keychain.delete(keychainService, START_CACHE_ACCOUNT).catch(() => undefined);
      keychain.close();
      await sim.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A world of the test's own, nobody signed in yet, closed when the test ends. */
export async function signedOut(t: TestContext, options: Parameters<typeof world>[0] = {}): Promise<World> {
  const w = await world(options);
  t.after(() => w.close());
  return w;
}

/** A world of the test's own, signed in, closed when the test ends. */
export async function signedIn(t: TestContext, options: Parameters<typeof world>[0] = {}): Promise<World> {
  const w = await signedOut(t, options);
  await w.signIn();
  return w;
}

/** Every secret the simulator issued that appears in `text`. */
export function leakedSecrets(sim: ZoomSim, text: string): string[] {
  return sim.secrets().filter((secret) => text.includes(secret));
}

/**
 * Answers the simulator's consent page over plain HTTP, as the browser would: loads it, posts the
 * decision and follows the redirect to the loopback listener. For tests that need a session, not
 * a browser; one CLI test signs in through real Chromium.
 */
export async function consentOverHttp(authorizeUrl: URL, decision: 'allow' | 'deny' = 'allow'): Promise<void> {
  const consent = await fetch(authorizeUrl);
  if (!consent.ok) throw new Error(`consent page answered ${consent.status}: ${await consent.text()}`);
  const form = new URLSearchParams({ decision });
  for (const key of ['client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method']) {
    form.set(key, authorizeUrl.searchParams.get(key) ?? '');
  }
  const decided = await fetch(new URL('/oauth/authorize/decision', authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
  const location = decided.headers.get('location');
  if (decided.status !== 302 || !location) throw new Error(`decision answered ${decided.status}`);
  await (await fetch(location)).text();
}
