import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 §4.1: 32 random octets, base64url-encoded → a 43-character verifier. */
export function createVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))). */
export function challengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A fresh 256-bit `state` per sign-in attempt, compared before any code is exchanged. */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}
