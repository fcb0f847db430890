import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { type ConfigSettings, defaultDataDir, type Env, resolveConfig } from '../../main/core/config';
import { DEFAULT_REDIRECT_URI, endpoint, parseServiceUrl } from '../../main/shared/urls';
import { ZoomTrayError } from '../../main/lib/errors';

const NO_SETTINGS: ConfigSettings = { clientId: '', redirectUri: '' };
const noSecret = async (): Promise<undefined> => undefined;
const loadConfig = (env: Env) => resolveConfig(env, NO_SETTINGS, noSecret);
const usage = (promise: Promise<unknown>, pattern: RegExp): Promise<void> =>
  assert.rejects(promise, (err: unknown) => err instanceof ZoomTrayError && err.kind === 'usage' && pattern.test(err.message));

test('defaults point at Zoom and a fixed loopback redirect', async () => {
  const c = await loadConfig({ ZOOM_CLIENT_ID: ' abc ', HOME: '/home/u' });
  assert.equal(c.clientId, 'abc');
  assert.equal(c.clientSecret, undefined);
  assert.equal(c.redirectUri.href, DEFAULT_REDIRECT_URI);
  assert.equal(c.oauthBase.href, 'https://zoom.us/');
  assert.equal(endpoint(c.apiBase, 'users/me').href, 'https://api.zoom.us/v2/users/me');
  assert.equal(c.keychainService, 'zoom-tray');
});

test('environment wins over settings; empty values count as unset', async () => {
  const asked: string[] = [];
  const c = await resolveConfig(
    { ZOOM_CLIENT_ID: 'env-id', ZOOM_CLIENT_SECRET: '', ZOOM_REDIRECT_URI: 'http://127.0.0.1:5000/cb' },
    { clientId: 'file-id', redirectUri: 'http://localhost:6000/x' },
    async (clientId) => {
      asked.push(clientId);
      return `secret-of-${clientId}`;
    },
  );
  assert.equal(c.clientId, 'env-id');
  assert.equal(c.redirectUri.href, 'http://127.0.0.1:5000/cb');
  assert.deepEqual(asked, ['env-id'], 'the stored secret is looked up for the client ID in use, not the settings one');
  assert.equal(c.clientSecret, 'secret-of-env-id');
});

test('the settings file fills what the environment leaves unset; ZOOM_CLIENT_SECRET needs no keychain', async () => {
  const c = await resolveConfig({ ZOOM_CLIENT_SECRET: 'env-secret' }, { clientId: 'file-id', redirectUri: 'http://localhost:6000/x' }, async () => {
    throw new Error('the keychain must not be asked');
  });
  assert.deepEqual([c.clientId, c.clientSecret, c.redirectUri.href], ['file-id', 'env-secret', 'http://localhost:6000/x']);
});

test('a missing client ID is a usage error that names the variable', async () => {
  await usage(loadConfig({}), /ZOOM_CLIENT_ID/);
});

test('redirect URIs must be loopback http with an explicit port', async () => {
  for (const bad of ['https://localhost:5000/cb', 'http://example.com:5000/cb', 'http://localhost/cb', 'not a url']) {
    await usage(loadConfig({ ZOOM_CLIENT_ID: 'x', ZOOM_REDIRECT_URI: bad }), /ZOOM_REDIRECT_URI/);
  }
  assert.equal((await loadConfig({ ZOOM_CLIENT_ID: 'x', ZOOM_REDIRECT_URI: 'http://[::1]:7000/cb' })).redirectUri.port, '7000');
});

test('a redirect URI the browser cannot come back to is refused before sign-in starts: port 0, or a user name and password', async () => {
  // Port 0 would listen on a port chosen at random, never the one Zoom sends the browser to; a
  // browser drops the credentials of a redirect, and they would be a secret in every message.
  await usage(loadConfig({ ZOOM_CLIENT_ID: 'x', ZOOM_REDIRECT_URI: 'http://localhost:0/cb' }), /ZOOM_REDIRECT_URI .*port from 1 to 65535/);
  await usage(resolveConfig({ ZOOM_GOV_CLIENT_ID: 'y', ZOOM_GOV_REDIRECT_URI: 'http://127.0.0.1:00/cb' }, NO_SETTINGS, noSecret, 'gov'), /ZOOM_GOV_REDIRECT_URI .*port from 1 to 65535/);
  for (const credentials of ['user:hunter2pw@', 'user@', ':hunter2pw@']) {
    await assert.rejects(loadConfig({ ZOOM_CLIENT_ID: 'x', ZOOM_REDIRECT_URI: `http://${credentials}localhost:47615/oauth/callback` }), (err: unknown) => {
      assert.ok(err instanceof ZoomTrayError && err.kind === 'usage' && err.exitCode === 2, String(err));
      assert.match(err.message, /ZOOM_REDIRECT_URI .*no user name or password/);
      assert.ok(!err.message.includes('hunter2pw'), `the password is not repeated: ${err.message}`);
      return true;
    });
  }
});

test('tokens never travel over plain http except to loopback', async () => {
  await usage(loadConfig({ ZOOM_CLIENT_ID: 'x', ZOOM_API_URL: 'http://api.zoom.us/v2' }), /ZOOM_API_URL/);
  await usage(loadConfig({ ZOOM_CLIENT_ID: 'x', ZOOM_OAUTH_URL: 'https://u:p@zoom.us' }), /ZOOM_OAUTH_URL/);
  const c = await loadConfig({ ZOOM_CLIENT_ID: 'x', ZOOM_OAUTH_URL: 'http://127.0.0.1:9/', ZOOM_API_URL: 'http://localhost:9/v2/' });
  assert.equal(endpoint(c.apiBase, '/users/me').href, 'http://localhost:9/v2/users/me');
  assert.equal(endpoint(c.oauthBase, '/oauth/token').href, 'http://127.0.0.1:9/oauth/token');
});

test('data folder follows each platform, with an override', () => {
  assert.equal(defaultDataDir({}, 'linux', '/home/u'), '/home/u/.config/zoom-tray');
  assert.equal(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/u'), '/cfg/zoom-tray');
  assert.equal(defaultDataDir({}, 'darwin', '/Users/u'), '/Users/u/Library/Application Support/zoom-tray');
  assert.equal(defaultDataDir({ APPDATA: 'C:\\AppData' }, 'win32', 'C:\\u'), 'C:\\AppData\\zoom-tray');
  assert.equal(defaultDataDir({}, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Roaming\\zoom-tray');
  assert.equal(defaultDataDir({ ZOOM_TRAY_DATA_DIR: 'rel/zt' }, 'linux', '/home/u'), path.resolve('rel/zt'), 'an override is a real path here, made absolute');
});

// Found in review: a password in ZOOM_OAUTH_URL or ZOOM_API_URL was quoted back, onto stderr and
// into the log, as parseRedirectUri already no longer did.
test('a service URL with a user name or password is refused without repeating them', () => {
  for (const name of ['ZOOM_OAUTH_URL', 'ZOOM_API_URL']) {
    assert.throws(
      () => parseServiceUrl(name, 'https://user:S3cretPassw0rd@zoom.example'),
      (err: unknown) => err instanceof ZoomTrayError && err.kind === 'usage' && err.message === `${name} must have no user name or password.`,
    );
  }
});
