import { type Clock, systemClock } from '../lib/clock';
import { revokeByHand } from '../core/core';
import { isZoomTrayError, ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import type { Copyable, CopyTarget } from '../meetings/invitation';
import { parseJoin } from '../meetings/join-link';
import { type Meeting, occurrenceOf, upcoming } from '../meetings/meeting';
import { type Target, TARGET_NAMES } from '../meetings/launcher';
import { accountLabel } from '../session/accounts';
import type { AccountRef, Cloud } from '../shared/clouds';
import { isAllowedZoomUrl } from '../zoom/start-url';
import type { AccountSlot } from './account-slot';
import { type Note, noteFor } from './notifications';
import { Calendars, type CalendarsDeps } from './calendars';
import { Clipboard } from './clipboard';
import { OnTimeScheduler } from './on-time';
import { Preferences, type PreferencesDeps } from './preferences';
import { Roster, type RosterDeps } from './roster';
import { type AppState, agendaOf, initialState } from './state';
import { StateStore } from './state-store';

export type ControllerDeps = Pick<RosterDeps, 'env' | 'clientSecrets' | 'accounts' | 'createCore'> &
  Pick<CalendarsDeps, 'calendarList'> &
  Pick<PreferencesDeps, 'platform' | 'launchCommand' | 'store' | 'shortcuts' | 'setLaunchAtLogin'> & {
    /** Hands a URL to the system browser; the controller has already checked it is Zoom's. */
    readonly openExternal: (url: URL) => Promise<void>;
    readonly notify: (note: Note) => void;
    readonly copyText: (text: string) => Promise<void>;
    readonly readText: () => Promise<string>;
    /** The schedule's clock (polls, ZAK renewal, the minute); the real one unless a test drives time. */
    readonly clock?: Clock;
  };

/**
 * The tray app's behaviour, free of Electron: the click path (start, join, copy), sign-in and
 * sign-out, and every failure turned into a notification. The accounts it serves are the
 * roster's; reminders and starts on time are the scheduler's.
 */
export class AppController {
  private readonly store: StateStore;
  /** The signed-in accounts: the menu's opening, a wake and "Make default" go straight to them. */
  readonly roster: Roster;
  /** The settings, and what the settings window shows and saves. */
  readonly preferences: Preferences;
  /** The calendars: read on their own schedules, added and removed from the settings window. */
  readonly calendars: Calendars;
  private readonly onTime: OnTimeScheduler;
  private readonly clipboard: Clipboard;
  /** What clicks asked for and is under way (a double click does it once). */
  private readonly clicked = new Set<string>();
  private signInAbort: AbortController | undefined;
  /** The schedule's clock: the CLI's endpoint tells the lists' age by it too. */
  readonly clock: Clock;
  constructor(private readonly deps: ControllerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.store = new StateStore(initialState(deps.env));
    this.roster = new Roster({ ...deps, clock: this.clock, store: this.store, signingIn: () => this.signInAbort !== undefined });
    this.onTime = new OnTimeScheduler({
      clock: this.clock,
      meetings: () => upcoming(agendaOf(this.state), new Date(this.clock.now())),
      settings: () => this.state.settings,
      minute: (minute) => this.store.update({ minute }),
      open: (meeting) => this.openMeeting(meeting),
      notify: (note) => this.deps.notify(note),
      whose: ({ account }) => (account && !this.roster.isDefault(this.roster.slotOf(account)) ? ` (${accountLabel(account)})` : ''),
      listed: (meeting) => agendaOf(this.state).some((m) => occurrenceOf(m) === occurrenceOf(meeting)),
    });
    this.clipboard = new Clipboard({ ...deps, store: this.store, fail: (err, slot) => this.fail(err, 'copy', slot) });
    this.calendars = new Calendars({
      ...deps,
      clock: this.clock,
      store: this.store,
      selfEmails: () => this.roster.slots.flatMap((slot) => (slot.signedIn && slot.account ? [slot.account.email] : [])),
    });
    this.preferences = new Preferences({ ...deps, state: this.store, roster: this.roster, calendars: () => this.calendars.views(), presses: { start: () => void this.startDefault(), join: () => void this.joinFromClipboard() } });
  }

  get state(): AppState {
    return this.store.state;
  }

  onChange(listener: (state: AppState) => void): () => void {
    return this.store.onChange(listener);
  }

  /** Loads settings, registers the shortcut and, when signed in, warms every cache. */
  async init(): Promise<void> {
    const settings = await this.preferences.load();
    void this.onTime.tick();
    // Feeds are read on their own: a slow one never holds the accounts back.
    void this.calendars.load();
    await this.preferences.apply(settings);
  }

  /** Starts a meeting of an account (default: the default account): from the caches, a network call only for what is missing. */
  start(target: Target, account?: AccountRef): Promise<void> {
    return this.inAccount(`start ${targetKey(target)}`, account, (slot) => this.startIn(slot, target));
  }

  /** What a click on a meeting does: start it as its account's host, or join it by its link. */
  openMeeting(meeting: Meeting): Promise<void> {
    return meeting.action.kind === 'start' ? this.start({ kind: 'id', id: meeting.id }, meeting.account) : this.joinLink(meeting.action.url);
  }

  /** Opens a meeting's own join link (from Zoom or a calendar): no sign-in, no request. */
  async joinLink(link: string): Promise<void> {
    try {
      await this.open(new URL(link));
    } catch (err) {
      this.fail(err, 'start');
    }
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
    if (!quiet) this.store.update({ busy: `Starting ${TARGET_NAMES[target.kind]}…` });
    try {
      const launch = await slot.core.start(target, slot.sources());
      await this.open(launch.url, slot);
    } catch (err) {
      this.fail(err, 'start', slot);
    } finally {
      if (!quiet) this.store.update({ busy: undefined });
      slot.scheduleZakRenewal();
      slot.refreshUpcomingIfStale();
    }
  }

  /** The menu is opening (where the OS says so): what is older than it should be is asked again. */
  menuOpened(): void {
    this.roster.menuOpened();
    void this.calendars.refresh();
  }

  /** The machine woke: every account is warmed again (a new ZAK), every calendar whose period passed is read. */
  async wake(): Promise<void> {
    await Promise.all([this.roster.refresh({ newZak: true }), this.calendars.refresh()]);
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
    this.store.update(adding ? { addingAccount: true } : { auth: 'signing-in' });
    const core = this.deps.createCore(config, undefined);
    try {
      const { account } = await core.addAccount({ open: (url) => this.open(url), signal: abort.signal });
      this.store.update({ problem: undefined });
      await (await this.roster.load(account)).opened;
    } catch (err) {
      if (!adding) this.store.update({ auth: before });
      if (!abort.signal.aborted) this.fail(err, 'sign-in');
    } finally {
      this.signInAbort = undefined;
      // Whatever happened above, "signing-in" ends with the sign-in.
      this.store.update({ addingAccount: undefined, ...(this.state.auth === 'signing-in' ? { auth: this.roster.first?.signedIn ? 'signed-in' : 'signed-out' } : {}) });
      void core.close();
    }
  }

  cancelSignIn(): void {
    this.signInAbort?.abort();
  }

  /** Signs an account out (default: the default account); the next one becomes the default. */
  async signOut(account?: AccountRef): Promise<void> {
    await this.roster.reload();
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

  /** Copies the personal room's link: no request. */
  async copyInviteLink(): Promise<void> {
    const link = this.state.user?.personal_meeting_url;
    if (link) await this.clipboard.put(link);
  }

  /** Copies the link of a meeting someone else hosts (its passcode in it): no request. */
  copyLink(url: string, topic: string): Promise<void> {
    return this.clipboard.link(url, topic);
  }

  /** Copies Zoom's invitation, or the ID and passcode, of an account's meeting or personal room: one request. */
  copy(what: Copyable, target: CopyTarget, account?: AccountRef): Promise<void> {
    return this.inAccount(`copy ${what} ${targetKey(target)}`, account, (slot) => this.clipboard.share(slot, what, target));
  }

  /** A failure outside any click (a bad `--start` from another process): said in a notification. */
  report(err: unknown): void {
    log.warn('request refused', err);
    this.deps.notify(noteFor(err, 'start'));
  }

  dispose(): void {
    this.onTime.dispose();
    this.signInAbort?.abort();
    this.preferences.dispose();
    this.roster.dispose();
    this.calendars.dispose();
  }

  /** Only Zoom's own https URLs (or a configured base) ever reach the browser. */
  private async open(url: URL, slot?: AccountSlot): Promise<void> {
    const extra = slot ? slot.core.extraOrigins : this.roster.origins();
    if (!isAllowedZoomUrl(url, extra)) {
      throw new ZoomTrayError('usage', `Refusing to open ${url.origin}: only Zoom's https URLs are opened.`);
    }
    await this.deps.openExternal(url);
    // Started or joined from zoom-tray: that occurrence is neither reminded nor opened on time again.
    const id = /^\/[sj]\/(\d+)$/.exec(url.pathname)?.[1];
    if (id) this.onTime.started(id);
  }

  private fail(err: unknown, during: 'start' | 'copy' | 'sign-in' | 'refresh', slot?: AccountSlot): void {
    if (slot && isZoomTrayError(err) && err.kind === 'signed-out' && during !== 'sign-in') this.roster.ended(slot);
    this.deps.notify(this.roster.whose(noteFor(err, during), slot));
  }
}

function targetKey(target: Target): string {
  return target.kind === 'id' ? `id:${target.id}` : target.kind;
}
