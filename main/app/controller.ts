import { type Clock, systemClock } from '../lib/clock';
import { clientIdInUse, type Config, type Env } from '../core/config';
import { revokeByHand } from '../core/core';
import { describeError, isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import { printable } from '../lib/redact';
import type { ClientSecrets } from '../session/client-secrets';
import type { SaveResult, SettingsView } from '../shared/ipc-channels';
import type { Copyable, CopyTarget } from '../meetings/invitation';
import { parseJoin } from '../meetings/join-link';
import { type Meeting, upcoming } from '../meetings/meeting';
import type { Target } from '../meetings/launcher';
import { type Account, type AccountList, accountLabel } from '../session/accounts';
import type { AccountRef, Cloud } from '../shared/clouds';
import { type Settings, toSettings, validateSettingsInput } from '../shared/settings-schema';
import type { SettingsStore } from '../core/settings-store';
import { isAllowedZoomUrl } from '../zoom/start-url';
import type { AccountSlot, AppCore } from './account-slot';
import { type Note, noteFor } from './notifications';
import { OnTimeScheduler } from './on-time';
import { Roster } from './roster';
import { settingsView } from './settings-view';
import { registerShortcuts, type ShortcutRegistry } from './shortcuts';
import type { AppState } from './state';
import { type StatePatch, StateStore } from './state-store';

export type { AppCore } from './account-slot';
export type { ShortcutRegistry } from './shortcuts';

export interface ControllerDeps {
  readonly env: Env;
  readonly platform: NodeJS.Platform;
  /** The command that starts this app; with `--start <meeting>` it is what a desktop shortcut can run. */
  readonly launchCommand: readonly string[];
  readonly store: Pick<SettingsStore, 'load' | 'save'>;
  readonly clientSecrets: ClientSecrets;
  /** The signed-in accounts (the account list in the data folder). */
  readonly accounts: { load(): Promise<AccountList>; setDefault(account: AccountRef): Promise<void> };
  /** One core per account and configuration; without an account, the first account's entry. */
  readonly createCore: (config: Config, account: Account | undefined) => AppCore;
  /** Hands a URL to the system browser; the controller has already checked it is Zoom's. */
  readonly openExternal: (url: URL) => Promise<void>;
  readonly notify: (note: Note) => void;
  readonly copyText: (text: string) => Promise<void>;
  readonly readText: () => Promise<string>;
  readonly shortcuts: ShortcutRegistry;
  readonly setLaunchAtLogin: (enabled: boolean) => Promise<void>;
  /** The schedule's clock (polls, ZAK renewal, the minute); the real one unless a test drives time. */
  readonly clock?: Clock;
}

const ENV_LOCKS: ReadonlyArray<[string, keyof Settings]> = [
  ['ZOOM_CLIENT_ID', 'clientId'],
  ['ZOOM_REDIRECT_URI', 'redirectUri'],
  ['ZOOM_GOV_CLIENT_ID', 'govClientId'],
  ['ZOOM_GOV_REDIRECT_URI', 'govRedirectUri'],
];

const LABELS: Record<Target['kind'], string> = {
  pmi: 'your personal meeting room',
  instant: 'a new instant meeting',
  next: 'your next meeting',
  id: 'the meeting',
};

/**
 * The tray app's behaviour, free of Electron: the click path (start, join, copy), sign-in and
 * sign-out, and every failure turned into a notification. The accounts it serves are the
 * roster's; reminders and starts on time are the scheduler's.
 */
export class AppController {
  private readonly store: StateStore;
  private readonly roster: Roster;
  private readonly onTime: OnTimeScheduler;
  /** What clicks asked for and is under way (a double click does it once). */
  private readonly clicked = new Set<string>();
  private signInAbort: AbortController | undefined;
  private readonly clock: Clock;
  constructor(private readonly deps: ControllerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.store = new StateStore({
      auth: 'starting',
      settings: { clientId: '', redirectUri: '', govClientId: '', govRedirectUri: '', defaultMeeting: 'pmi', shortcut: '', joinShortcut: '', launchAtLogin: false, reminderMinutes: 0, autoStart: false },
      shortcut: { accelerator: '', active: false },
      hasClientSecret: false,
      hasGovClientSecret: false,
      lockedByEnv: ENV_LOCKS.filter(([name]) => deps.env[name]?.trim()).map(([, field]) => field),
    });
    this.roster = new Roster({
      env: deps.env,
      clientSecrets: deps.clientSecrets,
      accounts: deps.accounts,
      createCore: deps.createCore,
      clock: this.clock,
      store: this.store,
      notify: deps.notify,
      signingIn: () => this.signInAbort !== undefined,
    });
    this.onTime = new OnTimeScheduler({
      clock: this.clock,
      meetings: () => this.roster.slots.flatMap((slot) => upcoming(slot.meetings ?? [], new Date(this.clock.now()))),
      settings: () => this.state.settings,
      minute: (minute) => this.update({ minute }),
      open: (meeting) => this.openMeeting(meeting),
      notify: (note) => this.deps.notify(note),
      whose: ({ account }) => (account && !this.roster.isDefault(this.roster.slotOf(account)) ? ` (${accountLabel(account)})` : ''),
      holds: ({ account }) => this.roster.slotOf(account) !== undefined,
    });
  }

  get state(): AppState {
    return this.store.state;
  }

  onChange(listener: (state: AppState) => void): () => void {
    return this.store.onChange(listener);
  }

  /** Loads settings, registers the shortcut and, when signed in, warms every cache. */
  async init(): Promise<void> {
    const { settings, warning } = await this.deps.store.load();
    this.update({ settings, ...(warning ? { warning } : {}) });
    void this.onTime.tick();
    await this.applySettings(settings);
  }

  /** Starts a meeting of an account (default: the default account): from the caches, a network call only for what is missing. */
  start(target: Target, account?: AccountRef): Promise<void> {
    return this.inAccount(`start ${targetKey(target)}`, account, (slot) => this.startIn(slot, target));
  }

  /** What a click on a meeting does: start it as its account's host, or join it by its link. */
  openMeeting(meeting: Meeting): Promise<void> {
    return meeting.action.kind === 'start' ? this.start({ kind: 'id', id: meeting.id }, meeting.account) : this.join(meeting.action.url);
  }

  /**
   * Runs what a click asked of an account (default: the default account), once however often it
   * is clicked meanwhile, on the account list as it is now: the CLI may have signed an account
   * out or in since (the list is a small file, read again), and an account that just joined it
   * is waited for until the keychain answers, never for its warm-up.
   */
  private async inAccount(what: string, account: AccountRef | undefined, run: (slot: AccountSlot) => Promise<void>): Promise<void> {
    const key = `${account ? `${account.cloud}:${account.email.toLowerCase()} ` : ''}${what}`;
    if (this.clicked.has(key)) return;
    this.clicked.add(key);
    try {
      await this.roster.current();
      const slot = this.roster.slotOf(account);
      await slot?.known;
      if (slot?.signedIn) await run(slot);
      else this.deps.notify({ title: 'Sign in to Zoom first', body: 'Choose "Sign in to Zoom…" in the zoom-tray menu.' });
    } finally {
      this.clicked.delete(key);
    }
  }

  private async startIn(slot: AccountSlot, target: Target): Promise<void> {
    // Served from the caches, a start takes well under a millisecond: showing "Starting…" would
    // only rebuild the menu twice (most of a click's cost) for a state nobody can see.
    const quiet = slot.servedFromCache(target);
    if (!quiet) this.update({ busy: `Starting ${LABELS[target.kind]}…` });
    try {
      const launch = await slot.core.start(target, slot.sources());
      await this.open(launch.url, slot);
      const id = /^\/s\/(\d+)$/.exec(launch.url.pathname)?.[1];
      if (id) this.onTime.started(id);
    } catch (err) {
      this.fail(err, 'start', slot);
    } finally {
      if (!quiet) this.update({ busy: undefined });
      slot.scheduleZakRenewal();
      slot.refreshUpcomingIfStale();
    }
  }

  /**
   * The tray menu is opening (where the OS says so): meetings older than a minute are fetched
   * again, and accounts the CLI added or signed out meanwhile join or leave the menu.
   */
  menuOpened(): void {
    this.roster.menuOpened();
  }

  startDefault(): Promise<void> {
    return this.start({ kind: this.state.settings.defaultMeeting });
  }

  /** Browser sign-in on a cloud: the account that signs in is added, or renewed if it is already here. */
  async signIn(cloud: Cloud = 'commercial'): Promise<void> {
    const config = this.roster.config(cloud);
    if (!config) {
      const app = cloud === 'gov' ? "your ZoomGov app's client ID" : "your Zoom app's client ID";
      this.deps.notify({ title: 'Set up zoom-tray first', body: `Enter ${app} in Settings.` });
      return;
    }
    if (this.signInAbort) return;
    const abort = new AbortController();
    this.signInAbort = abort;
    const adding = this.roster.slots.some((s) => s.signedIn);
    const before = this.state.auth;
    this.update(adding ? { addingAccount: true } : { auth: 'signing-in' });
    const core = this.deps.createCore(config, undefined);
    try {
      const { account } = await core.addAccount({ open: (url) => this.open(url), signal: abort.signal });
      this.update({ problem: undefined });
      await (await this.roster.load(account)).opened;
    } catch (err) {
      if (!adding) this.update({ auth: before });
      if (!abort.signal.aborted) this.fail(err, 'sign-in');
    } finally {
      this.signInAbort = undefined;
      // Whatever happened above, "signing-in" ends with the sign-in.
      this.update({ addingAccount: undefined, ...(this.state.auth === 'signing-in' ? { auth: this.roster.first?.signedIn ? 'signed-in' : 'signed-out' } : {}) });
      void core.close();
    }
  }

  cancelSignIn(): void {
    this.signInAbort?.abort();
  }

  /** Signs an account out (default: the default account); the next one becomes the default. */
  async signOut(account?: AccountRef): Promise<void> {
    await this.roster.current();
    const slot = this.roster.slotOf(account);
    if (!slot) return;
    try {
      const out = await slot.core.signOut();
      slot.signedOut();
      if (out?.notRevoked) {
        this.deps.notify({ title: 'Signed out on this computer', body: `${out.notRevoked} ${revokeByHand(slot.core.config.cloud)}` });
      }
      if (slot.account) await this.roster.load();
      else this.roster.publish();
    } catch (err) {
      this.fail(err, 'refresh', slot);
    }
  }

  /** The account the shortcut and the top of the menu use. */
  makeDefault(account: AccountRef): Promise<void> {
    return this.roster.makeDefault(account);
  }

  /**
   * Joins the Zoom meeting whose link (or invitation, or ID) is on the clipboard; anything else is
   * a notification saying what was found, never the clipboard itself (it may hold a password).
   */
  async joinFromClipboard(): Promise<void> {
    await this.join(await this.deps.readText().catch(() => ''), 'the clipboard');
  }

  /** Joins a Zoom meeting link or ID (from the clipboard, or a zoom-tray://join link); no sign-in needed. */
  async join(text: string, from = 'the link'): Promise<void> {
    const webBase = this.roster.first?.core.config.oauthBase ?? this.roster.config('commercial')?.oauthBase;
    const parsed = parseJoin(text, webBase);
    if (!parsed.ok) {
      this.deps.notify(
        from === 'the clipboard'
          ? { title: 'No Zoom meeting on the clipboard', body: `The clipboard holds ${parsed.found}. Copy a Zoom meeting link, an invitation or a meeting ID, then try again.` }
          : { title: 'Not a Zoom meeting', body: `The link to join holds ${parsed.found}, not a Zoom meeting link or ID.` },
      );
      return;
    }
    try {
      await this.open(parsed.url);
    } catch (err) {
      this.fail(err, 'start');
    }
  }

  async copyInviteLink(): Promise<void> {
    const link = this.state.user?.personal_meeting_url;
    if (!link) return;
    try {
      await this.deps.copyText(link);
    } catch {
      this.deps.notify({ title: 'Could not copy the invite link', body: link });
    }
  }

  /**
   * Copies Zoom's invitation, or the ID and passcode, of an account's meeting or personal room:
   * one request, then a notification that it is ready to paste. The notification never repeats
   * what was copied (it holds the passcode).
   */
  copy(what: Copyable, target: CopyTarget, account?: AccountRef): Promise<void> {
    return this.inAccount(`copy ${what} ${targetKey(target)}`, account, (slot) => this.copyIn(slot, what, target));
  }

  private async copyIn(slot: AccountSlot, what: Copyable, target: CopyTarget): Promise<void> {
    // A topic is anyone's text: shown, never obeyed (no bidi reordering, no control characters).
    const topic = target.kind === 'id' ? slot.meetings?.find((m) => m.id === target.id)?.topic : undefined;
    const name = target.kind === 'pmi' ? 'Your personal meeting room' : target.kind === 'id' ? (topic ? printable(topic) : `Meeting ${target.id}`) : 'Your next meeting';
    let text: string;
    // A copy waits on Zoom: the tray says so until it is done.
    this.update({ busy: what === 'invitation' ? 'Copying the invitation…' : 'Copying the meeting ID and passcode…' });
    try {
      text = await slot.core.share(what, target, slot.sources());
    } catch (err) {
      this.fail(err, 'copy', slot);
      return;
    } finally {
      this.update({ busy: undefined });
    }
    try {
      await this.deps.copyText(text);
    } catch (err) {
      log.warn('copying to the clipboard failed', err);
      this.deps.notify({ title: 'Could not copy to the clipboard', body: 'Another app may be holding it. Try again.' });
      return;
    }
    const title = what === 'invitation' ? 'Invitation copied' : 'Meeting ID and passcode copied';
    this.deps.notify({ title, body: `${name}: ready to paste.` });
  }

  /** Warms every account (at start-up, on wake: `newZak`, since the sleep may have outlasted the ZAK). */
  refresh(options: { newZak?: boolean } = {}): Promise<void> {
    return this.roster.refresh(options);
  }

  /** Fetches every account's upcoming meetings. */
  async refreshUpcoming(): Promise<void> {
    await Promise.all(this.roster.slots.map((slot) => slot.refreshUpcoming()));
  }

  view(): SettingsView {
    return settingsView(this.state, { env: this.deps.env, platform: this.deps.platform, launchCommand: this.deps.launchCommand, accounts: this.roster.views(), clouds: this.roster.clouds() });
  }

  /** A failure outside any click (a bad `--start` from another process): said in a notification. */
  report(err: unknown): void {
    log.warn('request refused', err);
    this.deps.notify(noteFor(err, 'start'));
  }

  /** Validates and applies what the settings window submitted; nothing is written when it is invalid. Never waits on Zoom. */
  async saveSettings(input: unknown): Promise<SaveResult> {
    const checked = validateSettingsInput(input);
    if (!checked.ok) return { ok: false, errors: checked.errors };
    const settings = toSettings(checked.value);
    try {
      const clientId = clientIdInUse(this.deps.env, settings);
      if (checked.value.clientSecret !== undefined && clientId) await this.deps.clientSecrets.set(clientId, checked.value.clientSecret);
      const govClientId = clientIdInUse(this.deps.env, settings, 'gov');
      if (checked.value.govClientSecret !== undefined && govClientId) await this.deps.clientSecrets.set(govClientId, checked.value.govClientSecret);
      await this.deps.store.save(settings);
      if (settings.launchAtLogin !== this.state.settings.launchAtLogin) await this.deps.setLaunchAtLogin(settings.launchAtLogin);
    } catch (err) {
      log.warn('saving settings failed', err);
      return { ok: false, errors: {}, message: describeError(err) };
    }
    this.update({ settings, warning: undefined });
    await this.applySettings(settings, { warm: false });
    return { ok: true, view: this.view() };
  }

  dispose(): void {
    this.onTime.dispose();
    this.signInAbort?.abort();
    this.deps.shortcuts.unregisterAll();
    this.roster.dispose();
  }

  private async applySettings(settings: Settings, options?: { warm?: boolean }): Promise<void> {
    const keys = registerShortcuts(this.deps.shortcuts, settings, { start: () => void this.startDefault(), join: () => void this.joinFromClipboard() }, this.state);
    this.update({ shortcut: keys.shortcut, joinShortcut: keys.joinShortcut });
    await this.roster.apply(settings, options);
  }

  /** Only Zoom's own https URLs (or a configured base) ever reach the browser. */
  private async open(url: URL, slot?: AccountSlot): Promise<void> {
    const extra = slot ? slot.core.extraOrigins : this.roster.origins();
    if (!isAllowedZoomUrl(url, extra)) {
      throw new ZoomTrayError('usage', `Refusing to open ${url.origin}: only Zoom's https URLs are opened.`);
    }
    await this.deps.openExternal(url);
  }

  private fail(err: unknown, during: 'start' | 'copy' | 'sign-in' | 'refresh', slot?: AccountSlot): void {
    if (slot && isZoomTrayError(err) && err.kind === 'signed-out' && during !== 'sign-in') this.roster.ended(slot);
    this.deps.notify(this.roster.whose(noteFor(err, during), slot));
  }

  private update(patch: StatePatch): void {
    this.store.update(patch);
  }
}

function targetKey(target: Target): string {
  return target.kind === 'id' ? `id:${target.id}` : target.kind;
}
