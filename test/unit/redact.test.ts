import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OAuthClient } from '../../main/auth/oauth-client';
import { redact, rememberSecret } from '../../main/lib/redact';
import { DEFAULT_REDIRECT_URI } from '../../main/shared/urls';
import type { HttpClient } from '../../main/zoom/http';

test('a month without a restart: the code, verifier and client secret of the first sign-in are still masked after every hourly rotation', () => {
  // Opaque values: only remembering them masks them, no shape rule does.
  const first = ['first-code-0a1b2c3d4e', 'first-verifier-5f6a7b8c9d0e', 'client-secret-1f2e3d4c'];
  for (const value of first) rememberSecret(value);
  // Two accounts, each: an access and a refresh token an hour, a ZAK every two hours, for 31 days.
  for (let hour = 0; hour < 31 * 24; hour++) {
    for (const account of ['a', 'b']) {
      rememberSecret(`access-${account}-${hour}-0123456789`);
      rememberSecret(`refresh-${account}-${hour}-0123456789`);
      if (hour % 2 === 0) rememberSecret(`zak-${account}-${hour}-0123456789`);
    }
  }
  assert.equal(redact(`failed: ${first.join(' ')}`), 'failed: [redacted] [redacted] [redacted]');
  assert.equal(redact('the newest: access-b-743-0123456789'), 'the newest: [redacted]');
});

test('a secret seen again at each use outlives any number of rotations, while the oldest unused one goes: memory stays bounded', () => {
  rememberSecret('unused-secret-0123456789');
  rememberSecret('in-use-secret-0123456789');
  for (let i = 0; i < 20_000; i++) {
    rememberSecret(`rotated-${i}-0123456789`);
    if (i % 1_000 === 0) rememberSecret('in-use-secret-0123456789');
  }
  assert.equal(redact('in-use-secret-0123456789 unused-secret-0123456789'), '[redacted] unused-secret-0123456789');
});

test('the client secret is seen again at each token request, so however long the tray runs it stays masked', async () => {
  let n = 0;
  const http: HttpClient = {
    send: async () => (n++, { status: 200, headers: {}, json: { access_token: `access-${n}-0123456789`, refresh_token: `refresh-${n}-0123456789`, expires_in: 3599 } }),
    close: async () => undefined,
  };
  const clientSecret = 'client-secret-of-a-long-run';
  const oauth = new OAuthClient({ oauthBase: new URL('http://127.0.0.1:9'), clientId: 'client-id', clientSecret, redirectUri: new URL(DEFAULT_REDIRECT_URI), http });
  // Each refresh brings two new tokens: far more than the redactor holds.
  for (let hour = 0; hour < 5_000; hour++) await oauth.refresh(`refresh-${n}-0123456789`);
  assert.equal(redact(`Zoom said: ${clientSecret}`), 'Zoom said: [redacted]');
});
