import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeDir } from '../lib/files';
import { clientSecretService } from './client-secrets';
import type { KeychainClient } from './keychain-client';
import { SESSION_ACCOUNT } from './secret-store';

/** What zoom-tray 0.1 stored with keytar: one entry per Zoom e-mail. */
interface LegacySession {
  readonly v: 1;
  readonly refreshToken: string;
  readonly accessToken: string;
  readonly accessTokenExpiresAt: number;
}

function legacySession(secret: string): LegacySession | undefined {
  try {
    const value = JSON.parse(secret) as Partial<LegacySession>;
    const ok = value.v === 1 && typeof value.refreshToken === 'string' && typeof value.accessToken === 'string' && typeof value.accessTokenExpiresAt === 'number';
    return ok ? (value as LegacySession) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * zoom-tray 0.1 kept its keychain entries with keytar, whose entries @napi-rs/keyring cannot see
 * (keytar is archived and crashed under a locked keyring; see the README). This moves them over
 * once — the sign-in and any client secrets — and leaves a marker in the data folder so later
 * runs skip the search. A failure is not fatal: the marker is not written and the next run tries again.
 */
export async function migrateFromKeytar(keychain: KeychainClient, service: string, dataDir: string): Promise<void> {
  const marker = path.join(dataDir, `keychain-migrated-${service}`);
  if (await fs.stat(marker).then(() => true, () => false)) return;
  for (const entry of await keychain.legacyList(service)) {
    const old = legacySession(entry.secret);
    if (!old) continue;
    if ((await keychain.get(service, SESSION_ACCOUNT)) === undefined) {
      const { refreshToken, accessToken, accessTokenExpiresAt } = old;
      await keychain.set(service, SESSION_ACCOUNT, JSON.stringify({ v: 2, account: entry.account, refreshToken, accessToken, accessTokenExpiresAt }));
    }
    await keychain.legacyDelete(service, entry.account);
  }
  const secrets = clientSecretService(service);
  for (const entry of await keychain.legacyList(secrets)) {
    // Where both libraries see the same item (macOS) it is already in place: moving it would delete it.
    if ((await keychain.get(secrets, entry.account)) !== undefined) continue;
    await keychain.set(secrets, entry.account, entry.secret);
    await keychain.legacyDelete(secrets, entry.account);
  }
  await makeDir(dataDir);
  await fs.writeFile(marker, '');
}
