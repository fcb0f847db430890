import { type AccountRef, type Cloud, CLOUDS, sameAccount } from '../shared/clouds';
import { type Clock, systemClock, type Timer, untilNextMinute } from '../lib/clock';
import { clientIdInUse, type Config, type Env, resolveConfig } from '../core/config';
import { revokeByHand } from '../core/core';
import { describeError, isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import { printable } from '../lib/redact';
import type { ClientSecrets } from '../session/client-secrets';
import type { AccountView, SaveResult, SettingsView } from '../shared/ipc-channels';
import type { Copyable, CopyTarget } from '../meetings/invitation';
import { parseJoin } from '../meetings/join-link';
import { type TimedMeeting, upcomingFrom } from '../meetings/upcoming';
import type { Target } from '../meetings/launcher';
import { type Account, type AccountList, accountLabel } from '../session/accounts';
import { type Settings, toSettings, validateSettingsInput } from '../shared/settings-schema';
import type { SettingsStore } from '../core/settings-store';
import { isAllowedZoomUrl } from '../zoom/start-url';
import { AccountSlot, type AppCore, type SlotHost } from './account-slot';
import { type Note, noteFor } from './notifications';
import type { AppState, OtherAccount } from './state';

export type { AppCore } from './account-slot';

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
  /** The schedule's clock (polls, ZAK renewal); the real one unless a test drives time. */
  readonly clock?: Clock;
}

const DAY_MS = 24 * 60 * 60_000;

const ENV_LOCKS: ReadonlyArray<[string, keyof Settings]> = [
  ['ZOOM_CLIENT_ID', 'clientId'],
  ['ZOOM_REDIRECT_URI', 'redirectUri'],
  ['ZOOM_GOV_CLIENT_ID', 'govClientId'],
  ['ZOOM_GOV_REDIRECT_URI', 'govRedirectUri'],
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
 * The tray app's behaviour, free of Electron: for every signed-in account it keeps the user,
 * upcoming meetings and a fresh ZAK ready (an AccountSlot each) so that a click goes straight to
 * the browser, and turns every failure into a notification. The default account's state is the
 * top-level state (what one account always showed); the others follow in `others`.
 */
export class AppController {
  private current: AppState;
  /** The default account first; empty until the configuration is known. */
  private slots: AccountSlot[] = [];
  private configs = new Map<Cloud, Config>();
  private accountsLoading: Promise<void> = Promise.resolve();
  private ticker: Timer | undefined;
  /** Reminders given and automatic starts made (with the meeting's start time, to forget them later). */
  private readonly handled = new Map<string, number>();
  /**
   * When each meeting was last started from zoom-tray: that occurrence is not reminded or started
   * by itself again. By time, since a recurring meeting keeps its ID from one day to the next.
   */
  private readonly startedAt = new Map<string, number>();
  private readonly listeners = new Set<(state: AppState) => void>();
  /** What clicks asked for and is under way (a double click does it once). */
  private readonly clicked = new Set<string>();
  private signInAbort: AbortController | undefined;
  private readonly clock: Clock;
  private readonly host: SlotHost;
  /** Settings whose configuration could not be completed yet (the keychain did not answer). */
  private unapplied: Settings | undefined;
  constructor(private readonly deps: ControllerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.host = this.slotHost();
    this.current = {
      auth: 'starting',
      settings: { clientId: '', redirectUri: '', govClientId: '', govRedirectUri: '', defaultMeeting: 'pmi', shortcut: '', joinShortcut: '', launchAtLogin: false, reminderMinutes: 0, autoStart: false },
      shortcut: { accelerator: '', active: false },
      hasClientSecret: false,
      hasGovClientSecret: false,
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
    this.tick();
    await this.applySettings(settings);
  }

  /**
   * Once a minute, on the minute: what counts down (the tooltip, the macOS title) is drawn again,
   * reminders fall due and, when asked for, meetings start on time.
   */
  private tick(): Promise<unknown> {
    this.update({ minute: Math.floor(this.clock.now() / 60_000) });
    this.clock.clearTimeout(this.ticker);
    this.ticker = this.clock.setTimeout(() => this.tick(), untilNextMinute(this.clock.now()));
    return this.onTime();
  }

  /**
   * The reminder (N minutes before) and the automatic start (in the minute a meeting starts) of
   * every signed-in account's meetings, each once per meeting and never for one started from
   * zoom-tray already. A machine that slept through a start does not start it late.
   */
  private onTime(): Promise<unknown> {
    const now = this.clock.now();
    const starts: Promise<void>[] = [];
    const { reminderMinutes, autoStart } = this.current.settings;
    for (const [key, at] of this.handled) if (at < now - 60 * 60_000) this.handled.delete(key);
    for (const [id, at] of this.startedAt) if (at < now - DAY_MS) this.startedAt.delete(id);
    for (const slot of this.slots) {
      if (!slot.signedIn) continue;
      for (const meeting of upcomingFrom(slot.meetings ?? [], new Date(now))) {
        const at = meeting.start.getTime();
        const until = at - now;
        const key = `${slot.entry}:${meeting.id}@${at}`;
        if (this.handled.has(`start ${key}`) || this.startedEarly(meeting)) continue;
        if (autoStart && until <= 0 && until > -60_000) {
          this.handled.set(`start ${key}`, at);
          starts.push(this.start({ kind: 'id', id: meeting.id }, slot.account));
        } else if (reminderMinutes > 0 && until > 0 && until <= reminderMinutes * 60_000 && !this.handled.has(`remind ${key}`)) {
          this.handled.set(`remind ${key}`, at);
          this.remind(meeting, slot);
        }
      }
    }
    return Promise.all(starts);
  }

  /** Started from zoom-tray for this occurrence: at most two hours before it begins, or since. */
  private startedEarly(meeting: TimedMeeting): boolean {
    return (this.startedAt.get(meeting.id) ?? -Infinity) >= meeting.start.getTime() - 2 * 60 * 60_000;
  }

  private remind(meeting: TimedMeeting, slot: AccountSlot): void {
    const until = Math.max(1, Math.ceil((meeting.start.getTime() - this.clock.now()) / 60_000));
    const start = (): Promise<void> => this.start({ kind: 'id', id: meeting.id }, slot.account);
    const snooze = (): void => {
      this.clock.setTimeout(() => {
        if (!this.startedEarly(meeting) && this.slots.includes(slot)) this.remind(meeting, slot);
      }, 60_000);
    };
    const whose = slot !== this.slots[0] && slot.account ? ` (${accountLabel(slot.account)})` : '';
    this.deps.notify({
      title: `${printable(meeting.topic)} starts in ${until} min${whose}`,
      body: 'Click to start it as host.',
      click: start,
      actions: [
        { label: 'Start', run: start },
        { label: 'Remind me in 1 minute', run: snooze },
      ],
    });
  }

  /** Starts a meeting of an account (default: the default account): from the caches, a network call only for what is missing. */
  start(target: Target, account?: AccountRef): Promise<void> {
    return this.inAccount(`start ${targetKey(target)}`, account, (slot) => this.startIn(slot, target));
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
      if (this.unapplied) await this.applySettings(this.unapplied);
      else if (this.configs.size > 0) await this.loadAccounts();
      const slot = account ? this.slotOf(account) : this.slots[0];
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
      if (id) this.startedAt.set(id, this.clock.now());
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
    for (const slot of this.slots) slot.refreshUpcomingIfStale();
    if (this.configs.size > 0) void this.loadAccounts();
  }

  startDefault(): Promise<void> {
    return this.start({ kind: this.current.settings.defaultMeeting });
  }

  /** Browser sign-in on a cloud: the account that signs in is added, or renewed if it is already here. */
  async signIn(cloud: Cloud = 'commercial'): Promise<void> {
    const config = this.configs.get(cloud);
    if (!config) {
      const app = cloud === 'gov' ? "your ZoomGov app's client ID" : "your Zoom app's client ID";
      this.deps.notify({ title: 'Set up zoom-tray first', body: `Enter ${app} in Settings.` });
      return;
    }
    if (this.signInAbort) return;
    const abort = new AbortController();
    this.signInAbort = abort;
    const adding = this.slots.some((s) => s.signedIn);
    const before = this.current.auth;
    this.update(adding ? { addingAccount: true } : { auth: 'signing-in' });
    const core = this.deps.createCore(config, undefined);
    try {
      const { account } = await core.addAccount({ open: (url) => this.open(url), signal: abort.signal });
      this.update({ problem: undefined });
      await (await this.loadAccounts(account)).opened;
    } catch (err) {
      if (!adding) this.update({ auth: before });
      if (!abort.signal.aborted) this.fail(err, 'sign-in');
    } finally {
      this.signInAbort = undefined;
      // Whatever happened above, "signing-in" ends with the sign-in.
      this.update({ addingAccount: undefined, ...(this.current.auth === 'signing-in' ? { auth: this.slots[0]?.signedIn ? 'signed-in' : 'signed-out' } : {}) });
      void core.close();
    }
  }

  cancelSignIn(): void {
    this.signInAbort?.abort();
  }

  /** Signs an account out (default: the default account); the next one becomes the default. */
  async signOut(account?: AccountRef): Promise<void> {
    if (this.configs.size > 0) await this.loadAccounts();
    const slot = account ? this.slotOf(account) : this.slots[0];
    if (!slot) return;
    try {
      const out = await slot.core.signOut();
      slot.signedOut();
      if (out?.notRevoked) {
        this.deps.notify({ title: 'Signed out on this computer', body: `${out.notRevoked} ${revokeByHand(slot.core.config.cloud)}` });
      }
      if (slot.account) await this.loadAccounts();
      else this.publish();
    } catch (err) {
      this.fail(err, 'refresh', slot);
    }
  }

  /** The account the shortcut and the top of the menu use. */
  async makeDefault(account: AccountRef): Promise<void> {
    try {
      await this.deps.accounts.setDefault(account);
      await this.loadAccounts();
    } catch (err) {
      this.deps.notify(noteFor(err, 'refresh'));
    }
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
    const webBase = this.slots[0]?.core.config.oauthBase ?? this.configs.get('commercial')?.oauthBase;
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
    const link = this.current.user?.personal_meeting_url;
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
  async refresh(options: { newZak?: boolean } = {}): Promise<void> {
    if (this.unapplied) return this.applySettings(this.unapplied);
    const known = new Set(this.slots);
    if (this.configs.size > 0) await this.loadAccounts();
    // Accounts new in the list warm up as they open: only those already here are refreshed.
    await Promise.all(this.slots.filter((slot) => known.has(slot)).map((slot) => slot.refresh(options)));
  }

  /** Fetches every account's upcoming meetings. */
  async refreshUpcoming(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.refreshUpcoming()));
  }

  view(): SettingsView {
    const s = this.current;
    return {
      settings: s.settings,
      hasClientSecret: s.hasClientSecret,
      hasGovClientSecret: s.hasGovClientSecret,
      accounts: this.accountViews(),
      clouds: CLOUDS.filter((cloud) => this.configs.has(cloud)),
      lockedByEnv: s.lockedByEnv,
      auth: { status: s.auth, ...(s.user ? { account: s.user.email } : {}) },
      ...(s.shortcut.problem ? { shortcutProblem: s.shortcut.problem } : {}),
      ...(s.joinShortcut?.problem ? { joinShortcutProblem: s.joinShortcut.problem } : {}),
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
      if (settings.launchAtLogin !== this.current.settings.launchAtLogin) await this.deps.setLaunchAtLogin(settings.launchAtLogin);
    } catch (err) {
      log.warn('saving settings failed', err);
      return { ok: false, errors: {}, message: describeError(err) };
    }
    this.update({ settings, warning: undefined });
    await this.applySettings(settings, { warm: false });
    return { ok: true, view: this.view() };
  }

  dispose(): void {
    this.clock.clearTimeout(this.ticker);
    this.signInAbort?.abort();
    this.deps.shortcuts.unregisterAll();
    for (const slot of this.slots) slot.dispose();
    this.slots = [];
  }

  /** Global shortcuts on Wayland go through the desktop portal, which asks the user (see the README). */
  private onWayland(): boolean {
    return this.deps.platform === 'linux' && (this.deps.env.XDG_SESSION_TYPE === 'wayland' || Boolean(this.deps.env.WAYLAND_DISPLAY));
  }

  /** `warm: false`: return once the accounts are in place, before they have asked Zoom anything. */
  private async applySettings(settings: Settings, { warm = true }: { warm?: boolean } = {}): Promise<void> {
    this.unapplied = undefined;
    this.registerShortcuts(settings);
    const secrets: Partial<Record<Cloud, boolean>> = {};
    const configs = new Map<Cloud, Config>();
    for (const cloud of CLOUDS) {
      if (cloud !== 'commercial' && !clientIdInUse(this.deps.env, settings, cloud)) continue;
      try {
        configs.set(
          cloud,
          await resolveConfig(
            this.deps.env,
            settings,
            async (clientId) => {
              const secret = await this.deps.clientSecrets.get(clientId);
              secrets[cloud] = secret !== undefined;
              return secret;
            },
            cloud,
          ),
        );
      } catch (err) {
        if (isZoomTrayError(err) && err.kind === 'keychain') {
          // The client secret could not be read: a core without it would fail later with a misleading
          // "check your client secret". Wait in "starting" and try again on the next click or wake.
          this.unapplied = settings;
          this.replaceSlots([]);
          this.update({ auth: 'starting', problem: noteFor(err, 'refresh').title });
          return;
        }
        if (cloud === 'commercial') {
          this.configs = new Map();
          this.replaceSlots([]);
          this.update({ auth: 'needs-setup', user: undefined, meetings: undefined, others: undefined });
          // A missing client ID is what "Set up zoom-tray…" means; anything else (a bad URL) is said.
          if (clientIdInUse(this.deps.env, settings)) this.update({ problem: describeError(err) });
          return;
        }
        this.update({ problem: describeError(err) });
      }
    }
    this.update({ hasClientSecret: Boolean(secrets.commercial), hasGovClientSecret: Boolean(secrets.gov) });
    const changed = CLOUDS.some((cloud) => !sameConfig(this.configs.get(cloud), configs.get(cloud)));
    this.configs = configs;
    if (changed || this.slots.length === 0) {
      this.replaceSlots([]);
      const { opened } = await this.loadAccounts();
      if (warm) await opened;
    }
  }

  /**
   * (Re)builds one slot per signed-in account from the account list, keeping those that are still
   * signed in; `renewed` (null: the first account's entry) was just signed in again and starts afresh.
   */
  private loadAccounts(renewed?: AccountRef): Promise<{ opened: Promise<void> }> {
    // One at a time: two loads at once would each open a slot for a new account. Only the list is
    // waited for in turn; the new slots warm up (over the network) on their own.
    const loaded = this.accountsLoading.then(() => this.loadAccountsNow(renewed));
    this.accountsLoading = loaded.then(() => undefined);
    return loaded;
  }

  private async loadAccountsNow(renewed: AccountRef | undefined): Promise<{ opened: Promise<void> }> {
    let list: AccountList;
    try {
      list = await this.deps.accounts.load();
    } catch (err) {
      this.update({ auth: this.slots[0]?.signedIn ? 'signed-in' : 'signed-out', problem: noteFor(err, 'refresh').title });
      return { opened: Promise.resolve() };
    }
    const ordered = list.default ? [list.default, ...list.accounts.filter((a) => a !== list.default)] : [undefined];
    const kept: AccountSlot[] = [];
    const opening: AccountSlot[] = [];
    for (const account of ordered) {
      const config = this.configs.get(account?.cloud ?? 'commercial');
      if (!config) continue; // an account of a cloud whose app is gone from the settings
      const isRenewed = renewed !== undefined && account !== undefined && sameAccount(account, renewed);
      // A slot still asking the keychain is kept too: replacing it would only ask again.
      const old = this.slots.find((slot) => (slot.signedIn || slot.asking) && !isRenewed && slot.entry === (account?.entry ?? slot.entry) && sameSlot(slot.account, account));
      if (old) {
        kept.push(old);
        continue;
      }
      const slot = new AccountSlot(account, this.deps.createCore(config, account), this.host);
      // Just signed in: it is, and the menu need not say otherwise while its keychain entry is read.
      slot.signedIn = isRenewed;
      kept.push(slot);
      opening.push(slot);
    }
    this.replaceSlots(kept);
    // A sign-in under way owns "signing-in" until it ends (then it loads with `renewed` set).
    if (!this.signInAbort || renewed !== undefined) this.update({ auth: kept[0]?.signedIn ? 'signed-in' : 'signed-out' });
    return { opened: Promise.all(opening.map((slot) => slot.open())).then(() => undefined) };
  }

  private replaceSlots(next: AccountSlot[]): void {
    for (const slot of this.slots) if (!next.includes(slot)) slot.dispose();
    this.slots = next;
    this.publish();
  }

  /** What slots report to; a slot no longer listed (replaced, signed out) is not heard. */
  private slotHost(): SlotHost {
    return {
      clock: this.clock,
      changed: (slot) => {
        if (this.slots.includes(slot)) this.publish();
      },
      outcome: (slot, err) => {
        if (!this.slots.includes(slot)) return;
        if (err === undefined) {
          if (slot === this.slots[0]) this.update({ problem: undefined });
          return;
        }
        this.backgroundFailure(err, slot);
      },
    };
  }

  /** The default account's slot becomes the top-level state; the others follow. */
  private publish(): void {
    const [first, ...rest] = this.slots;
    const others: OtherAccount[] = rest
      .filter((slot): slot is AccountSlot & { account: Account } => slot.account !== undefined)
      .map((slot) => ({
        account: { email: slot.account.email, cloud: slot.account.cloud },
        signedIn: slot.signedIn,
        ...(slot.user ? { user: slot.user } : {}),
        ...(slot.meetings ? { meetings: slot.meetings } : {}),
      }));
    const auth = this.current.auth === 'signing-in' || this.current.auth === 'starting' || this.current.auth === 'needs-setup' ? this.current.auth : first?.signedIn ? 'signed-in' : 'signed-out';
    this.update({
      ...(first ? { auth } : {}),
      // The slot's own account object: the same one while the default stays, so no spurious change.
      account: first?.account,
      user: first?.user,
      meetings: first?.meetings,
      others: others.length === 0 ? undefined : sameOthers(others, this.current.others) ? this.current.others : others,
    });
  }

  private accountViews(): AccountView[] {
    return this.slots
      .filter((slot): slot is AccountSlot & { account: Account } => slot.account !== undefined && slot.signedIn)
      .map((slot) => ({ email: slot.account.email, cloud: slot.account.cloud, default: slot === this.slots[0] }));
  }

  private slotOf(account: AccountRef): AccountSlot | undefined {
    return this.slots.find((slot) => slot.account && sameAccount(slot.account, account));
  }

  /** The shortcut that starts the default meeting, and the optional one that joins from the clipboard. */
  private registerShortcuts(settings: Settings): void {
    this.deps.shortcuts.unregisterAll();
    const register = (accelerator: string, onPress: () => void): AppState['shortcut'] => {
      if (!accelerator) return { accelerator, active: false };
      let active = false;
      try {
        active = this.deps.shortcuts.register(accelerator, onPress);
      } catch {
        active = false;
      }
      return active ? { accelerator, active } : { accelerator, active, problem: `${accelerator} is taken by another app or the system. Choose another shortcut in Settings.` };
    };
    const shortcut = register(settings.shortcut, () => void this.startDefault());
    const join = settings.joinShortcut ? register(settings.joinShortcut, () => void this.joinFromClipboard()) : undefined;
    // Kept when unchanged, so a save that changes neither shortcut redraws nothing.
    const same = (a: AppState['shortcut'] | undefined, b: AppState['shortcut'] | undefined): boolean =>
      a === b || (a !== undefined && b !== undefined && a.accelerator === b.accelerator && a.active === b.active && a.problem === b.problem);
    this.update({
      shortcut: same(shortcut, this.current.shortcut) ? this.current.shortcut : shortcut,
      joinShortcut: same(join, this.current.joinShortcut) ? this.current.joinShortcut : join,
    });
  }

  /** Only Zoom's own https URLs (or a configured base) ever reach the browser. */
  private async open(url: URL, slot?: AccountSlot): Promise<void> {
    const extra = slot ? slot.core.extraOrigins : [...this.configs.values()].map((c) => c.oauthBase.origin);
    if (!isAllowedZoomUrl(url, extra)) {
      throw new ZoomTrayError('usage', `Refusing to open ${url.origin}: only Zoom's https URLs are opened.`);
    }
    await this.deps.openExternal(url);
  }

  private fail(err: unknown, during: 'start' | 'copy' | 'sign-in' | 'refresh', slot?: AccountSlot): void {
    if (slot && isZoomTrayError(err) && err.kind === 'signed-out' && during !== 'sign-in') this.ended(slot);
    const note = noteFor(err, during);
    this.deps.notify(slot && slot !== this.slots[0] && slot.account ? { title: `${note.title} (${accountLabel(slot.account)})`, body: note.body } : note);
  }

  /** Background work fails quietly into the menu, except a session Zoom ended, which the user must act on. */
  private backgroundFailure(err: unknown, slot: AccountSlot): void {
    const label = slot !== this.slots[0] && slot.account ? `${accountLabel(slot.account)}: ` : '';
    if (isZoomTrayError(err) && err.kind === 'signed-out') {
      if (slot.signedIn) {
        const note = noteFor(err, 'refresh');
        this.deps.notify(label ? { title: `${note.title} (${label.slice(0, -2)})`, body: note.body } : note);
      }
      this.ended(slot);
      return;
    }
    this.update({ problem: `${label}${noteFor(err, 'refresh').title}` });
  }

  /**
   * Zoom ended an account's sign-in (or its keychain entry is gone): its core has taken it off the
   * account list, so once that is written the list is read again and the default moves to an
   * account that still works; the others stay in the menu.
   */
  private ended(slot: AccountSlot): void {
    slot.signedOut();
    if (!slot.account) return;
    void slot.core.close().then(() => this.loadAccounts());
  }

  /** Applies a patch; listeners (the tray, the settings window) hear only of real changes. */
  private update(patch: { [K in keyof AppState]?: AppState[K] | undefined }): void {
    const current = this.current as unknown as Record<string, unknown>;
    if (Object.entries(patch).every(([key, value]) => current[key] === value)) return;
    const next: Record<string, unknown> = { ...this.current };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    this.current = next as unknown as AppState;
    for (const listener of this.listeners) listener(this.current);
  }
}

function targetKey(target: Target): string {
  return target.kind === 'id' ? `id:${target.id}` : target.kind;
}

function sameOthers(a: readonly OtherAccount[], b: readonly OtherAccount[] | undefined): boolean {
  return (
    b !== undefined &&
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i];
      return y !== undefined && sameAccount(x.account, y.account) && x.signedIn === y.signedIn && x.user === y.user && x.meetings === y.meetings;
    })
  );
}

function sameSlot(a: AccountRef | undefined, b: AccountRef | undefined): boolean {
  return a === undefined || b === undefined ? a === b : sameAccount(a, b);
}


function sameConfig(a: Config | undefined, b: Config | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    a.cloud === b.cloud &&
    a.clientId === b.clientId &&
    a.clientSecret === b.clientSecret &&
    a.redirectUri.href === b.redirectUri.href &&
    a.oauthBase.href === b.oauthBase.href &&
    a.apiBase.href === b.apiBase.href &&
    a.keychainService === b.keychainService
  );
}
