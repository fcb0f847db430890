import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../harness/cli-process';
import { signedOut } from '../harness/fixtures';
import { cliLogin } from '../harness/integration';

test('a confidential client authenticates with its secret (HTTP Basic) for exchange, refresh and revoke', async (t) => {
  const w = await signedOut(t, { client: { clientSecret: 's3cret-value' } });
  const result = await cliLogin(w.env);
  assert.equal(result.code, 0, result.stderr);
  w.sim.expireAccessTokens();
  assert.equal((await runCli(['whoami'], w.env)).code, 0);
  assert.equal(w.sim.stats.refreshes, 1);
  assert.equal((await runCli(['logout'], w.env)).code, 0);
  assert.equal(w.sim.stats.revocations, 1);
});

test('a wrong client secret is exit 4 naming the settings to check, and the secret is not shown', async (t) => {
  const w = await signedOut(t, { client: { clientSecret: 'right-secret' } });
  const result = await cliLogin({ ...w.env, ZOOM_CLIENT_SECRET: 'wrong-secret' });
  assert.equal(result.code, 4);
  assert.match(result.stderr, /client credentials.*ZOOM_CLIENT_ID.*ZOOM_CLIENT_SECRET/);
  assert.ok(!result.stderr.includes('wrong-secret'));
});
