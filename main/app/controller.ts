import { type Clock, systemClock, type Timer } from '../clock';
import { clientIdInUse, type Config, type Env, resolveConfig } from '../config';
import { type Core, REVOKE_BY_HAND } from '../core';
import { describeError, isZoomTrayError, ZoomTrayError } from '../errors';
import { log } from '../log';
import type { ClientSecrets } from '../session/client-secrets';
import type { SaveResult, SettingsView } from '../ipc/channels';
import type { Target } from '../meetings/launcher';
import { type Settings, toSettings, validateSettingsInput } from '../settings/schema';
import type { SettingsStore } from '../settings/store';
import { isAllowedZoomUrl } from '../zoom/start-url';
import { type Note, noteFor } from './notifications';
import type { AppState } from './state';

/** What the controller uses of the core: the seam its unit tests replace. */
export type AppCore = Pick<Core, 'config' | 'extraOrigins' | 'signIn' | 'signOut' | 'start' | 'me' | 'close'> & {
  readonly session: Pick<Core['session'], 'account'>;
  readonly api: Pick<Core['api'], 'upcomingMeetings'>;
  readonly zak: Pick<Core['zak'], 'warm' | 'refresh' | 'peek' | 'renewAt' | 'clear'>;
};

export interface ShortcutRegistry {
  /** False when the OS or another app holds the accelerator. */
  register(accelerator: string, onPress: () => void): boolean;
  unregisterAll(): void;
}

export interface ControllerDeps {
  readonly env: Env;
  readonly platform: NodeJS.Platform;
  /** The command that starts this app; with `--start <meeting>` it is what a desktop shortcut can run. */
  readonly launchCommand: readonly string[];
  readonly store: Pick<SettingsStore, 'load' | 'save'>;
  readonly clientSecrets: ClientSecrets;
  /** One core per configuration: the real one talks to Zoom and the keychain. */
  readonly createCore: (config: Config) => AppCore;
  /** Hands a URL to the system browser; the controller has already checked it is Zoom's. */
  readonly openExternal: (url: URL) => Promise<void>;
  readonly notify: (note: Note) => void;
  readonly copyText: (text: string) => Promise<void>;
  readonly shortcuts: ShortcutRegistry;
  readonly setLaunchAtLogin: (enabled: boolean) => Promise<void>;
  /** The schedule's clock (polls, ZAK renewal); the real one unless a test drives time. */
  readonly clock?: Clock;
}

/**
 * The menu's meetings are never older than this. Four polls an hour, one token refresh and half a
 * ZAK renewal keep an idle tray under six requests an hour (a 5-minute poll made it 13.5).
 */
const UPCOMING_EVERY_MS = 15 * 60_000;
/** A menu open, a wake or a start refetches meetings older than this; repeated opens cost nothing. */
const UPCOMING_FRESH_MS = 60_000;

const ENV_LOCKS: ReadonlyArray<[string, keyof Settings]> = [
  ['ZOOM_CLIENT_ID', 'clientId'],
  ['ZOOM_REDIRECT_URI', 'redirectUri'],
];

// Electron's globalShortcut uses the GlobalShortcuts portal on Wayland; GNOME asks once, KDE binds
// silently, and register() reports success before the answer (electron/electron#52218).
const WAYLAND_NOTE =
  'On Wayland your desktop asks once whether zoom-tray may use this shortcut (GNOME shows a dialog; KDE allows it silently). ' +
  "If the shortcut does nothing, bind the command below in your desktop's keyboard settings instead.";

/** POSIX-shell quoting, for a command the user copies into their desktop's shortcut settings. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

const LABELS: Record<Target['kind'], string> = {
  pmi: 'your personal meeting room',
  instant: 'a new instant meeting',
  next: 'your next meeting',
  id: 'the meeting',
};

/**
 * The tray app's behaviour, free of Electron: it keeps the user, upcoming meetings and a fresh ZAK
 * ready so that a click goes straight to the browser, and turns every failure into a notification.
 */
export class AppController {
  private current: AppState;
  private core: AppCore | undefined;
  private readonly listeners = new Set<(state: AppState) => void>();
  private readonly starting = new Set<string>();
  private signInAbort: AbortController | undefined;
  private zakTimer: Timer | undefined;
  private upcomingTimer: Timer | undefined;
  /** When meetings were last asked of Zoom, and the ask under way. */
  private upcomingAt: number | undefined;
  private upcomingInflight: Promise<void> | undefined;
  private readonly clock: Clock;
  /** Settings whose configuration could not be completed yet (the keychain did not answer). */
  private unapplied: Settings | undefined;
  constructor(private readonly deps: ControllerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.current = {
      auth: 'starting',
      settings: { clientId: '', redirectUri: '', defaultMeeting: 'pmi', shortcut: '', launchAtLogin: false },
      shortcut: { accelerator: '', active: false },
      hasClientSecret: false,
      lockedByEnv: ENV_LOCKS.filter(([name]) => deps.env[name]?.trim()).map(([, field]) => field),
    };
  }

  get state(): AppState {
    return this.current;
  }

  onChange(listener: (state: AppState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads settings, registers the shortcut and, when signed in, warms every cache. */
  async init(): Promise<void> {
    const { settings, warning } = await this.deps.store.load();
    this.update({ settings, ...(warning ? { warning } : {}) });
    await this.applySettings(settings);
  }

  /** Starts a meeting: straight to the browser from the caches, a network call only for what is missing. */
  async start(target: Target): Promise<void> {
    const key = target.kind === 'id' ? `id:${target.id}` : target.kind;
    if (this.starting.has(key)) return; // a double click starts one meeting
    if (this.unapplied) await this.applySettings(this.unapplied);
    const core = this.core;
    if (!core || this.current.auth !== 'signed-in') {
      this.deps.notify({ title: 'Sign in to Zoom first', body: 'Choose "Sign in to Zoom…" in the zoom-tray menu.' });
      return;
    }
    this.starting.add(key);
    // Served from the caches, a start takes well under a millisecond: showing "Starting…" would
    // only rebuild the menu twice (most of a click's cost) for a state nobody can see.
    const quiet = this.servedFromCache(core, target);
    if (!quiet) this.update({ busy: `Starting ${LABELS[target.kind]}…` });
    try {
      const { user, meetings } = this.current;
      const launch = await core.start(target, {
        ...(user ? { user: async () => user } : {}),
        ...(meetings ? { upcoming: async () => meetings } : {}),
      });
      await this.open(launch.url);
    } catch (err) {
      this.fail(err, 'start');
    } finally {
      this.starting.delete(key);
      if (!quiet) this.update({ busy: undefined });
      this.scheduleZakRenewal();
      this.refreshUpcomingIfStale();
    }
  }

  /** The tray menu is opening (where the OS says so): meetings older than a minute are fetched again. */
  menuOpened(): void {
    this.refreshUpcomingIfStale();
  }

  startDefault(): Promise<void> {
    return this.start({ kind: this.current.settings.defaultMeeting });
  }

  async signIn(): Promise<void> {
    const core = this.core;
    if (!core) {
      this.deps.notify({ title: 'Set up zoom-tray first', body: 'Enter your Zoom app\'s client ID in Settings.' });
      return;
    }
    if (this.signInAbort) return;
    const abort = new AbortController();
    this.signInAbort = abort;
    this.update({ auth: 'signing-in' });
    try {
      const user = await core.signIn({ open: (url) => this.open(url), signal: abort.signal });
      this.update({ auth: 'signed-in', user, problem: undefined });
      await this.refresh();
    } catch (err) {
      this.update({ auth: 'signed-out' });
      if (!abort.signal.aborted) this.fail(err, 'sign-in');
    } finally {
      this.signInAbort = undefined;
    }
  }

  cancelSignIn(): void {
    this.signInAbort?.abort();
  }

  async signOut(): Promise<void> {
    const core = this.core;
    if (!core) return;
    try {
      const out = await core.signOut();
      this.clearSession();
      if (out?.notRevoked) {
        this.deps.notify({ title: 'Signed out on this computer', body: `${out.notRevoked} ${REVOKE_BY_HAND}` });
      }
    } catch (err) {
      this.fail(err, 'refresh');
    }
  }

  async copyInviteLink(): Promise<void> {
    const link = this.current.user?.personal_meeting_url;
    if (!link) return;
    try {
      await this.deps.copyText(link);
    } catch {
      this.deps.notify({ title: 'Could not copy the invite link', body: link });
    }
  }

  /**
   * Warms the user, the upcoming meetings and the ZAK (after sign-in, at start-up, on wake). At
   * start-up a ZAK kept in the keychain (by the CLI, or before a restart) is good enough; a wake
   * asks Zoom for a new one, since the sleep may have outlasted it or a "sign out of all devices".
   */
  async refresh(options: { newZak?: boolean } = {}): Promise<void> {
    if (this.unapplied) return this.applySettings(this.unapplied);
    const core = this.core;
    if (!core || this.current.auth !== 'signed-in') return;
    this.upcomingAt = this.clock.now();
    this.scheduleUpcoming();
    const [user, meetings, zak] = await Promise.allSettled([core.me(), core.api.upcomingMeetings(), options.newZak ? core.zak.refresh() : core.zak.warm()]);
    if (user.status === 'fulfilled') this.update({ user: user.value });
    if (meetings.status === 'fulfilled') this.update({ meetings: meetings.value });
    const failure = [user, meetings, zak].find((r) => r.status === 'rejected');
    if (failure?.status === 'rejected') this.backgroundFailure(failure.reason);
    else this.update({ problem: undefined });
    this.scheduleZakRenewal();
  }

  /** Fetches the upcoming meetings (one ask at a time); the next poll counts from here. */
  refreshUpcoming(): Promise<void> {
    const core = this.core;
    if (!core || this.current.auth !== 'signed-in') return Promise.resolve();
    this.upcomingInflight ??= (async () => {
      this.upcomingAt = this.clock.now();
      this.scheduleUpcoming();
      try {
        this.update({ meetings: await core.api.upcomingMeetings(), problem: undefined });
      } catch (err) {
        this.backgroundFailure(err);
      }
    })().finally(() => {
      this.upcomingInflight = undefined;
    });
    return this.upcomingInflight;
  }

  private refreshUpcomingIfStale(): void {
    if (this.upcomingAt === undefined || this.clock.now() - this.upcomingAt >= UPCOMING_FRESH_MS) void this.refreshUpcoming();
  }

  private scheduleUpcoming(): void {
    this.clock.clearTimeout(this.upcomingTimer);
    this.upcomingTimer = this.clock.setTimeout(() => this.refreshUpcoming(), UPCOMING_EVERY_MS);
  }

  /** Whether a start needs nothing from Zoom: a fresh ZAK and whatever the target is looked up in. */
  private servedFromCache(core: AppCore, target: Target): boolean {
    if (!core.zak.peek()) return false;
    switch (target.kind) {
      case 'pmi':
        return Boolean(this.current.user?.pmi);
      case 'next':
        return this.current.meetings !== undefined;
      case 'id':
        return true;
      case 'instant':
        return false;
    }
  }

  view(): SettingsView {
    const s = this.current;
    return {
      settings: s.settings,
      hasClientSecret: s.hasClientSecret,
      lockedByEnv: s.lockedByEnv,
      auth: { status: s.auth, ...(s.user ? { account: s.user.email } : {}) },
      ...(s.shortcut.problem ? { shortcutProblem: s.shortcut.problem } : {}),
      ...(s.warning ? { warning: s.warning } : {}),
      ...(this.onWayland() ? { shortcutNote: WAYLAND_NOTE } : {}),
      startCommand: [...this.deps.launchCommand, '--start', s.settings.defaultMeeting].map(shellQuote).join(' '),
      platform: this.deps.platform,
    };
  }

  /** A failure outside any click (a bad `--start` from another process): said in a notification. */
  report(err: unknown): void {
    log.warn('request refused', err);
    this.deps.notify(noteFor(err, 'start'));
  }

  /** Global shortcuts on Wayland go through the desktop portal, which asks the user (see the README). */
  private onWayland(): boolean {
    return this.deps.platform === 'linux' && (this.deps.env.XDG_SESSION_TYPE === 'wayland' || Boolean(this.deps.env.WAYLAND_DISPLAY));
  }

  /** Validates and applies what the settings window submitted; nothing is written when it is invalid. */
  async saveSettings(input: unknown): Promise<SaveResult> {
    const checked = validateSettingsInput(input);
    if (!checked.ok) return { ok: false, errors: checked.errors };
    const settings = toSettings(checked.value);
    try {
      const clientId = clientIdInUse(this.deps.env, settings);
      if (checked.value.clientSecret !== undefined && clientId) await this.deps.clientSecrets.set(clientId, checked.value.clientSecret);
      await this.deps.store.save(settings);
      if (settings.launchAtLogin !== this.current.settings.launchAtLogin) await this.deps.setLaunchAtLogin(settings.launchAtLogin);
    } catch (err) {
      log.warn('saving settings failed', err);
      return { ok: false, errors: {}, message: describeError(err) };
    }
    this.update({ settings, warning: undefined });
    await this.applySettings(settings);
    return { ok: true, view: this.view() };
  }

  dispose(): void {
    this.clock.clearTimeout(this.zakTimer);
    this.clock.clearTimeout(this.upcomingTimer);
    this.signInAbort?.abort();
    this.deps.shortcuts.unregisterAll();
    void this.core?.close();
  }

  private async applySettings(settings: Settings): Promise<void> {
    this.unapplied = undefined;
    this.registerShortcut(settings.shortcut);
    let hasClientSecret = false;
    let config: Config;
    try {
      config = await resolveConfig(this.deps.env, settings, async (clientId) => {
        const secret = await this.deps.clientSecrets.get(clientId);
        hasClientSecret = secret !== undefined;
        return secret;
      });
    } catch (err) {
      void this.core?.close();
      this.core = undefined;
      if (isZoomTrayError(err) && err.kind === 'keychain') {
        // The client secret could not be read: a core without it would fail later with a misleading
        // "check your client secret". Wait in "starting" and try again on the next click or wake.
        this.unapplied = settings;
        this.clearSession('starting');
        this.update({ problem: noteFor(err, 'refresh').title });
        return;
      }
      this.clearSession('needs-setup');
      // A missing client ID is what "Set up zoom-tray…" means; anything else (a bad URL) is said.
      if (clientIdInUse(this.deps.env, settings)) this.update({ problem: describeError(err) });
      return;
    }
    this.update({ hasClientSecret });
    const old = this.core;
    if (old && sameConfig(old.config, config)) return;
    void old?.close();
    const core = this.deps.createCore(config);
    this.core = core;
    this.update({ auth: 'signed-out', problem: undefined });
    try {
      if (await core.session.account()) {
        this.update({ auth: 'signed-in' });
        await this.refresh();
      }
    } catch (err) {
      this.backgroundFailure(err);
    }
  }

  private registerShortcut(accelerator: string): void {
    this.deps.shortcuts.unregisterAll();
    if (!accelerator) {
      this.update({ shortcut: { accelerator, active: false } });
      return;
    }
    let active = false;
    try {
      active = this.deps.shortcuts.register(accelerator, () => void this.startDefault());
    } catch {
      active = false;
    }
    this.update({
      shortcut: active
        ? { accelerator, active }
        : { accelerator, active, problem: `${accelerator} is taken by another app or the system. Choose another shortcut in Settings.` },
    });
  }

  /** Only Zoom's own https URLs (or the configured base) ever reach the browser. */
  private async open(url: URL): Promise<void> {
    if (!isAllowedZoomUrl(url, this.core?.extraOrigins ?? [])) {
      throw new ZoomTrayError('usage', `Refusing to open ${url.origin}: only Zoom's https URLs are opened.`);
    }
    await this.deps.openExternal(url);
  }

  private scheduleZakRenewal(): void {
    this.clock.clearTimeout(this.zakTimer);
    const renewAt = this.core?.zak.renewAt();
    if (renewAt === undefined || this.current.auth !== 'signed-in') return;
    this.zakTimer = this.clock.setTimeout(() => this.renewZak(), Math.max(10_000, renewAt - this.clock.now()));
  }

  private async renewZak(): Promise<void> {
    try {
      await this.core?.zak.refresh();
      this.update({ problem: undefined });
    } catch (err) {
      this.backgroundFailure(err);
    }
    this.scheduleZakRenewal();
  }

  private fail(err: unknown, during: 'start' | 'sign-in' | 'refresh'): void {
    if (isZoomTrayError(err) && err.kind === 'signed-out' && during !== 'sign-in') this.clearSession();
    this.deps.notify(noteFor(err, during));
  }

  /** Background work fails quietly into the menu, except a session Zoom ended, which the user must act on. */
  private backgroundFailure(err: unknown): void {
    if (isZoomTrayError(err) && err.kind === 'signed-out') {
      if (this.current.auth === 'signed-in') this.deps.notify(noteFor(err, 'refresh'));
      this.clearSession();
      return;
    }
    this.update({ problem: noteFor(err, 'refresh').title });
  }

  private clearSession(auth: 'starting' | 'signed-out' | 'needs-setup' = 'signed-out'): void {
    this.clock.clearTimeout(this.zakTimer);
    this.clock.clearTimeout(this.upcomingTimer);
    this.upcomingAt = undefined;
    this.core?.zak.clear();
    this.update({ auth, user: undefined, meetings: undefined });
  }

  private update(patch: { [K in keyof AppState]?: AppState[K] | undefined }): void {
    const next: Record<string, unknown> = { ...this.current };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    this.current = next as unknown as AppState;
    for (const listener of this.listeners) listener(this.current);
  }
}

function sameConfig(a: Config, b: Config): boolean {
  return (
    a.clientId === b.clientId &&
    a.clientSecret === b.clientSecret &&
    a.redirectUri.href === b.redirectUri.href &&
    a.oauthBase.href === b.oauthBase.href &&
    a.apiBase.href === b.apiBase.href &&
    a.keychainService === b.keychainService
  );
}
