import path from 'node:path';
import type { Cloud } from '../shared/clouds';
import { type Config, type ConfigSettings, defaultDataDir, type Env, keychainServiceName, resolveConfig } from '../core/config';
import { Core } from '../core/core';
import { SettingsStore } from '../core/settings-store';
import { log } from '../lib/log';
import { type Account, type AccountIndex, accountIndexFor } from '../session/accounts';
import { keychainClientSecrets } from '../session/client-secrets';
import type { KeychainClient } from '../session/keychain-client';
import { migrateFromKeytar } from '../session/keytar-migration';

/** Where a command reads its environment and writes its output (the process's, or a test's). */
export interface CliIo {
  readonly env: Env;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The first line of standard input, for a secret that must not be an argument (`calendar add -`). */
  readonly stdin?: () => Promise<string>;
}

/** What one command works with: the accounts, each cloud's configuration, a core per account. */
export class Context {
  readonly dataDir: string;
  readonly service: string;
  readonly accounts: AccountIndex;
  private settings: Promise<ConfigSettings> | undefined;
  private readonly configs = new Map<Cloud, Promise<Config>>();
  private readonly cores: Core[] = [];

  constructor(
    readonly io: CliIo,
    readonly keychain: KeychainClient,
  ) {
    this.dataDir = defaultDataDir(io.env);
    this.service = keychainServiceName(io.env);
    this.accounts = accountIndexFor(keychain, this.dataDir, this.service, (message) => io.stderr(`zoom-tray: warning: ${message}\n`));
  }

  /** The environment first, then the tray app's settings file (and its client secret in the keychain). */
  config(cloud: Cloud): Promise<Config> {
    let config = this.configs.get(cloud);
    if (!config) {
      config = (async () => {
        const settings = await this.loadSettings();
        const secrets = keychainClientSecrets(this.keychain, this.service);
        return resolveConfig(this.io.env, settings, (clientId) => secrets.get(clientId), cloud);
      })();
      this.configs.set(cloud, config);
    }
    return config;
  }

  /**
   * The core of an account; without one, the first account's entry (which says "not signed in" when
   * empty). `addsAccounts`: its sign-in and sign-out update the account list (login, logout).
   */
  async core(account: Account | undefined, options: { addsAccounts?: boolean; cloud?: Cloud } = {}): Promise<Core> {
    const core = new Core(await this.config(account?.cloud ?? options.cloud ?? 'commercial'), this.keychain, {
      ...(account ? { account } : {}),
      ...(options.addsAccounts ? { accounts: this.accounts } : {}),
    });
    this.cores.push(core);
    return core;
  }

  /** A renewed sign-in the keychain did not take would be gone when this process ends: say so. */
  async finish(): Promise<void> {
    for (const core of this.cores) await core.session.flush();
  }

  async close(): Promise<void> {
    await Promise.all(this.cores.map((core) => core.close()));
  }

  /**
   * zoom-tray 0.1's keytar entries become this version's before anything reads the sign-in: a read
   * asked for earlier (the prefetch) would miss a sign-in moved meanwhile by this or another process.
   */
  async migrate(): Promise<void> {
    await migrateFromKeytar(this.keychain, this.service, this.dataDir).catch((err: unknown) => log.warn('moving keychain entries from keytar failed; will try again', err));
  }

  private loadSettings(): Promise<ConfigSettings> {
    this.settings ??= (async () => {
      const { settings, warning } = await new SettingsStore(path.join(this.dataDir, 'settings.json')).load({ keepAside: false });
      if (warning) this.io.stderr(`zoom-tray: warning: ${warning}\n`);
      return settings;
    })();
    return this.settings;
  }
}
