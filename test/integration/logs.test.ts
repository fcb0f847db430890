import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { AppDriver } from '../harness/app-driver';
import { runCli } from '../harness/cli-process';
import { leakedSecrets, signedOut } from '../harness/fixtures';
import { cliLogin } from '../harness/integration';

/**
 * The whole flow at debug level, with opaque tokens (no JWT shape to catch), a client secret, and
 * Zoom echoing the request's secrets back in errors: no secret value may reach any log or output.
 */
test('at debug level, no token, code, verifier, client secret or ZAK reaches a log file or an output', async (t) => {
  const w = await signedOut(t, { client: { clientSecret: 'client-secret-value-1234' }, sim: { tokenShape: 'opaque' } });
  const env = { ...w.env, ZOOM_TRAY_LOG: 'debug' };
  const outputs: string[] = [];
  const cli = async (args: string[]): Promise<number | null> => {
    const r = await runCli(args, env);
    outputs.push(r.stderr, r.stdout.replace(/[?&]zak=[^&\s]+/g, '')); // a printed start URL holds its ZAK on purpose
    return r.code;
  };

  const signedIn = await cliLogin(env);
  outputs.push(signedIn.stderr);
  assert.equal(signedIn.code, 0, signedIn.stderr);

  assert.equal(await cli(['whoami']), 0);
  assert.equal(await cli(['start', '--print']), 0);
  w.sim.expireAccessTokens();
  // Twice: a refused refresh is asked once more (it may have come after Zoom rotated the token).
  const echo = { on: 'token', when: 'before', spoil: 'echo' } as const;
  w.sim.faults.queue.push(echo, echo, { on: 'api', when: 'before', spoil: 'echo' });
  assert.notEqual(await cli(['meetings']), 0, 'Zoom echoing the refresh token in an error fails the call');
  assert.notEqual(await cli(['whoami']), 0, 'Zoom echoing the access token in an error fails the call');
  assert.equal(await cli(['meetings', '--json']), 0);

  const app = AppDriver.boot(env);
  await app.untilMenuHas(/Design review$/);
  await app.click('Start my personal meeting room');
  await app.until('a start', async () => (await app.snapshot()).opened.length === 1);
  await app.click('Sign out');
  await app.untilMenuHas('Sign in to Zoom…');
  await app.quit();
  outputs.push(app.output);

  const logs = (await readdir(w.dataDir)).filter((f) => f.startsWith('zoom-tray.log'));
  assert.ok(logs.length > 0, 'a log file was written');
  const logText = (await Promise.all(logs.map((f) => readFile(path.join(w.dataDir, f), 'utf8')))).join('\n');
  assert.match(logText, /debug \[cli \d+\] POST 127\.0\.0\.1:\d+\/oauth\/token → 200/, 'debug lines are there');
  assert.match(logText, /info \[tray \d+\]/, 'the tray logs to the same file');
  assert.match(logText, /Invalid request: .*\[redacted\]/, "Zoom's echo was logged, masked");

  const secrets = w.sim.secrets();
  assert.ok(secrets.length >= 8, `the flow handled ${secrets.length} secrets`);
  assert.deepEqual(leakedSecrets(w.sim, logText), [], 'log files');
  for (const out of outputs) assert.deepEqual(leakedSecrets(w.sim, out), [], out);
});
