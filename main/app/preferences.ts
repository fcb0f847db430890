import { clientIdInUse, type Env } from '../core/config';
import type { SettingsStore } from '../core/settings-store';
import { describeError } from '../lib/errors';
import { log } from '../lib/log';
import type { ClientSecrets } from '../session/client-secrets';
import type { CalendarView, SaveResult, SettingsView } from '../shared/ipc-channels';
import { type Settings, toSettings, validateSettingsInput } from '../shared/settings-schema';
import type { Roster } from './roster';
import { settingsView } from './settings-view';
import { registerShortcuts, type ShortcutRegistry } from './shortcuts';
import type { StateStore } from './state-store';

export interface PreferencesDeps {
  readonly env: Env;
  readonly platform: NodeJS.Platform;
  /** The command that starts this app; with `--start <meeting>` it is what a desktop shortcut can run. */
  readonly launchCommand: readonly string[];
  readonly store: Pick<SettingsStore, 'load' | 'save'>;
  readonly clientSecrets: ClientSecrets;
  readonly shortcuts: ShortcutRegistry;
  readonly setLaunchAtLogin: (enabled: boolean) => Promise<void>;
  readonly state: StateStore;
  readonly roster: Roster;
  /** The calendars as the settings window lists them. */
  readonly calendars: () => readonly CalendarView[];
  /** What the two global shortcuts do. */
  readonly presses: { readonly start: () => void; readonly join: () => void };
}

/** The settings: read at start, applied (shortcuts, then accounts), saved from the settings window, and what that window shows. */
export class Preferences {
  constructor(private readonly deps: PreferencesDeps) {}

  /** The settings file, with a warning in the state when it had to be mended. */
  async load(): Promise<Settings> {
    const { settings, warning } = await this.deps.store.load();
    this.deps.state.update({ settings, ...(warning ? { warning } : {}) });
    return settings;
  }

  /** `warm: false`: return once the accounts are in place, before they have asked Zoom anything. */
  async apply(settings: Settings, options?: { warm?: boolean }): Promise<void> {
    const { state } = this.deps;
    const keys = registerShortcuts(this.deps.shortcuts, settings, this.deps.presses, state.state);
    state.update({ shortcut: keys.shortcut, joinShortcut: keys.joinShortcut });
    await this.deps.roster.apply(settings, options);
  }

  /** Validates and applies what the settings window submitted; nothing is written when it is invalid. Never waits on Zoom. */
  async save(input: unknown): Promise<SaveResult> {
    const { env, clientSecrets, state } = this.deps;
    const checked = validateSettingsInput(input);
    if (!checked.ok) return { ok: false, errors: checked.errors };
    const settings = toSettings(checked.value);
    try {
      const clientId = clientIdInUse(env, settings);
      if (checked.value.clientSecret !== undefined && clientId) await clientSecrets.set(clientId, checked.value.clientSecret);
      const govClientId = clientIdInUse(env, settings, 'gov');
      if (checked.value.govClientSecret !== undefined && govClientId) await clientSecrets.set(govClientId, checked.value.govClientSecret);
      await this.deps.store.save(settings);
      if (settings.launchAtLogin !== state.state.settings.launchAtLogin) await this.deps.setLaunchAtLogin(settings.launchAtLogin);
    } catch (err) {
      log.warn('saving settings failed', err);
      return { ok: false, errors: {}, message: describeError(err) };
    }
    state.update({ settings, warning: undefined });
    await this.apply(settings, { warm: false });
    return { ok: true, view: this.view() };
  }

  view(): SettingsView {
    const { env, platform, launchCommand, roster } = this.deps;
    return settingsView(this.deps.state.state, { env, platform, launchCommand, accounts: roster.views(), calendars: this.deps.calendars(), clouds: roster.clouds() });
  }

  dispose(): void {
    this.deps.shortcuts.unregisterAll();
  }
}
