import assert from 'node:assert/strict';
import { test } from 'node:test';
import { challengeS256, createState, createVerifier } from '../../main/auth/pkce';

test('S256 challenge matches RFC 7636 appendix B', () => {
  assert.equal(challengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('verifier is 43 base64url characters from 32 random octets, fresh each time', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const v = createVerifier();
    assert.match(v, /^[A-Za-z0-9_-]{43}$/);
    seen.add(v);
  }
  assert.equal(seen.size, 100);
});

test('state carries at least 128 bits and differs per attempt', () => {
  const a = createState();
  const b = createState();
  assert.notEqual(a, b);
  assert.ok(Buffer.from(a, 'base64url').length >= 16);
});
