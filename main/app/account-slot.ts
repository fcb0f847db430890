import type { Clock, Timer } from '../lib/clock';
import type { Core, StartSources } from '../core/core';
import type { Target } from '../meetings/launcher';
import type { Account } from '../session/accounts';
import type { Meeting } from '../meetings/meeting';
import type { ZoomUser } from '../zoom/schemas';

/** What the tray uses of a core: the seam its unit tests replace. */
export type AppCore = Pick<Core, 'config' | 'extraOrigins' | 'addAccount' | 'signOut' | 'start' | 'share' | 'me' | 'close'> & {
  readonly session: Pick<Core['session'], 'account' | 'entry'>;
  readonly meetings: Pick<Core['meetings'], 'fetch' | 'lacksScope'>;
  readonly zak: Pick<Core['zak'], 'warm' | 'refresh' | 'peek' | 'renewAt' | 'clear'>;
};

/**
 * The menu's meetings are never older than this. Four polls an hour, one token refresh and half a
 * ZAK renewal keep an idle account under six requests an hour.
 */
const UPCOMING_EVERY_MS = 15 * 60_000;
/** A menu open, a wake or a start refetches meetings older than this; repeated opens cost nothing. */
const UPCOMING_FRESH_MS = 60_000;
/**
 * A ZAK renewal that failed (Zoom unreachable or refusing) is tried again this much later, at the
 * polls' pace: retried every 10 seconds it was a storm of token refreshes for as long as the network
 * was down. A click in between asks for a ZAK itself.
 */
const ZAK_RETRY_MS = UPCOMING_EVERY_MS;

export interface SlotHost {
  readonly clock: Clock;
  /** Something this account shows (user, meetings, signed in or not) changed. */
  changed(slot: AccountSlot): void;
  /** Background work failed (quietly, or Zoom ended the sign-in), or succeeded again (`err` undefined). */
  outcome(slot: AccountSlot, err?: unknown): void;
  /** Zoom said the app lacks the scope for the meetings the account is invited to (said once per sign-in). */
  lacksUpcomingScope(slot: AccountSlot): void;
}

/**
 * One signed-in Zoom account in the tray: its core, and the user, meetings and ZAK kept warm for
 * it so that a click goes straight to the browser. Each account has its own schedule, so
 * refreshing one never waits on or touches another.
 */
export class AccountSlot {
  user: ZoomUser | undefined;
  meetings: readonly Meeting[] | undefined;
  signedIn = false;
  /** Settles once the keychain has said whether the account is signed in; no request to Zoom is waited for. */
  known: Promise<void> = Promise.resolve();
  /** The keychain has not said yet (the slot is opening). */
  asking = false;
  private zakTimer: Timer | undefined;
  private upcomingTimer: Timer | undefined;
  /** When meetings were last asked of Zoom, and the ask under way. */
  private upcomingAt: number | undefined;
  private upcomingInflight: Promise<void> | undefined;
  /** When the meetings held were asked of Zoom; undefined once an ask failed (or before any). */
  private listed: number | undefined;
  /** When a new ZAK was last asked of Zoom. */
  private zakAt: number | undefined;
  /** Gone from the tray (signed out, the list or the settings changed): nothing more is scheduled or asked. */
  private disposed = false;
  private toldScope = false;

  constructor(
    /** Undefined: the first account's entry before any list exists (signed out, or about to be). */
    readonly account: Account | undefined,
    readonly core: AppCore,
    private readonly host: SlotHost,
  ) {}

  get entry(): string {
    return this.core.session.entry;
  }

  /** Reads the keychain: signed in or not; when signed in, warms everything. */
  async open(): Promise<void> {
    if (this.disposed) return;
    let told: () => void = () => undefined;
    this.asking = true;
    this.known = new Promise((resolve) => (told = resolve));
    try {
      try {
        this.signedIn = Boolean(await this.core.session.account());
      } finally {
        this.asking = false;
        told();
      }
      this.host.changed(this);
      if (this.signedIn) await this.refresh();
    } catch (err) {
      this.host.outcome(this, err);
    }
  }

  /**
   * Warms the user, the upcoming meetings and the ZAK (after sign-in, at start-up, on wake). At
   * start-up a ZAK kept in the keychain (by the CLI, or before a restart) is good enough; a wake
   * asks Zoom for a new one, since the sleep may have outlasted it or a "sign out of all devices".
   */
  async refresh(options: { newZak?: boolean } = {}): Promise<void> {
    if (!this.signedIn || this.disposed) return;
    const { core } = this;
    const now = this.host.clock.now();
    const recent = (at: number | undefined): boolean => at !== undefined && now - at < UPCOMING_FRESH_MS;
    // On waking, the poll and the ZAK renewal that fell due in the sleep have just run: what they
    // asked is not asked again.
    const meetingsAgain = !recent(this.upcomingAt);
    const zakAgain = options.newZak === true && !recent(this.zakAt);
    if (meetingsAgain) {
      this.upcomingAt = now;
      this.scheduleUpcoming();
    }
    if (zakAgain) this.zakAt = now;
    const [user, meetings, zak] = await Promise.allSettled([
      core.me(),
      // Not asked again: the poll under way (or just done) brings them.
      meetingsAgain ? core.meetings.fetch({ fresh: true }) : Promise.resolve(undefined),
      zakAgain ? core.zak.refresh() : core.zak.warm(),
    ]);
    if (user.status === 'fulfilled') this.user = user.value;
    if (meetings.status === 'fulfilled' && meetings.value) this.setMeetings(meetings.value, now);
    if (meetings.status === 'rejected') this.listed = undefined;
    this.host.changed(this);
    const failure = [user, meetings, zak].find((r) => r.status === 'rejected');
    this.host.outcome(this, failure?.status === 'rejected' ? failure.reason : undefined);
    this.scheduleZakRenewal(zak.status === 'rejected' ? ZAK_RETRY_MS : undefined);
  }

  /** Fetches the upcoming meetings (one ask at a time); the next poll counts from here. */
  refreshUpcoming(): Promise<void> {
    if (!this.signedIn || this.disposed) return Promise.resolve();
    this.upcomingInflight ??= (async () => {
      const at = this.host.clock.now();
      this.upcomingAt = at;
      this.scheduleUpcoming();
      try {
        this.setMeetings(await this.core.meetings.fetch(), at);
        this.host.changed(this);
        this.host.outcome(this);
      } catch (err) {
        this.listed = undefined;
        this.host.outcome(this, err);
      }
    })().finally(() => {
      this.upcomingInflight = undefined;
    });
    return this.upcomingInflight;
  }

  refreshUpcomingIfStale(): void {
    if (this.upcomingAt === undefined || this.host.clock.now() - this.upcomingAt >= UPCOMING_FRESH_MS) void this.refreshUpcoming();
  }

  /** What a start or a copy looks up in (the user's PMI, the meetings) without asking Zoom, when it is held. */
  sources(): StartSources {
    const { user, meetings } = this;
    return { ...(user ? { user: async () => user } : {}), ...(meetings ? { upcoming: async () => meetings } : {}) };
  }

  /** Whether a start needs nothing from Zoom: a fresh ZAK and whatever the target is looked up in. */
  servedFromCache(target: Target): boolean {
    if (!this.core.zak.peek()) return false;
    switch (target.kind) {
      case 'pmi':
        return Boolean(this.user?.pmi);
      case 'next':
        return this.meetings !== undefined;
      case 'id':
        return true;
      case 'instant':
        return false;
    }
  }

  /** When the meetings held were asked of Zoom, if that ask and every one since succeeded. */
  get listedAt(): number | undefined {
    return this.listed;
  }

  /** `atLeastMs`: after a failure, the wait before the next try (ZAK_RETRY_MS). */
  scheduleZakRenewal(atLeastMs = 10_000): void {
    const { clock } = this.host;
    clock.clearTimeout(this.zakTimer);
    const renewAt = this.core.zak.renewAt();
    if (renewAt === undefined || !this.signedIn || this.disposed) return;
    this.zakTimer = clock.setTimeout(() => this.renewZak(), Math.max(atLeastMs, renewAt - clock.now()));
  }

  /** Zoom ended the sign-in, or the user signed out: nothing of it is kept or scheduled. */
  signedOut(): void {
    this.stopTimers();
    this.core.zak.clear();
    this.signedIn = false;
    this.user = undefined;
    this.meetings = undefined;
    this.upcomingAt = undefined;
    this.listed = undefined;
    this.host.changed(this);
  }

  dispose(): void {
    this.disposed = true;
    this.signedIn = false;
    this.stopTimers();
    void this.core.close();
  }

  private setMeetings(meetings: readonly Meeting[], at: number): void {
    this.meetings = meetings;
    this.listed = at;
    if (this.core.meetings.lacksScope && !this.toldScope) {
      this.toldScope = true;
      this.host.lacksUpcomingScope(this);
    }
  }

  private stopTimers(): void {
    this.host.clock.clearTimeout(this.zakTimer);
    this.host.clock.clearTimeout(this.upcomingTimer);
  }

  private scheduleUpcoming(): void {
    this.host.clock.clearTimeout(this.upcomingTimer);
    if (this.disposed) return;
    this.upcomingTimer = this.host.clock.setTimeout(() => {
      // A poll still waiting for Zoom is joined, not repeated; the next one is set here, since the
      // joined one set its own before it started.
      if (this.upcomingInflight) this.scheduleUpcoming();
      return this.refreshUpcoming();
    }, UPCOMING_EVERY_MS);
  }

  private async renewZak(): Promise<void> {
    this.zakAt = this.host.clock.now();
    try {
      await this.core.zak.refresh();
      this.host.outcome(this);
      this.scheduleZakRenewal();
    } catch (err) {
      this.host.outcome(this, err);
      this.scheduleZakRenewal(ZAK_RETRY_MS);
    }
  }
}
