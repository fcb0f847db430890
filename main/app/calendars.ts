import { addCalendar } from '../calendars/add-calendar';
import type { CalendarList } from '../calendars/calendar-list';
import { calendarLabel, nameProblem } from '../calendars/calendar-names';
import { CalendarSource } from '../calendars/calendar-source';
import { parseFeedAddress } from '../calendars/feed-address';
import type { Clock, Timer } from '../lib/clock';
import type { Meeting } from '../meetings/meeting';
import { describeError, ZoomTrayError } from '../lib/errors';
import { log } from '../lib/log';
import type { CalendarAddResult, CalendarView, SettingsView } from '../shared/ipc-channels';
import type { Note } from './notifications';
import type { CalendarShown } from './state';
import type { StateStore } from './state-store';

export interface CalendarsDeps {
  /** The calendars the CLI and the tray share: names and hosts in the data folder, addresses in the keychain. */
  readonly calendarList: Pick<CalendarList, 'load' | 'address' | 'add' | 'remove'>;
  readonly clock: Clock;
  readonly store: StateStore;
  readonly notify: (note: Note) => void;
  /** The signed-in accounts' e-mails: events they declined are not shown. */
  readonly selfEmails: () => readonly string[];
}

/**
 * The user's calendars in the tray: each read when its feed's period has passed (its own timer,
 * 15 minutes to 6 hours, conditionally), and on a wake or a menu open once that is due. A calendar
 * that fails keeps showing its last good meetings and is said once, until it works again.
 */
export class Calendars {
  private sources: CalendarSource[] = [];
  private readonly timers = new Map<CalendarSource, Timer>();
  /** Read at least once (with meetings or a failure to show). */
  private readonly read = new WeakSet<CalendarSource>();
  private disposed = false;

  constructor(private readonly deps: CalendarsDeps) {}

  /** The list read again (the CLI may have added or removed one): a new calendar is read at once, one gone is forgotten. */
  async load(): Promise<void> {
    const stored = await this.deps.calendarList.load();
    if (this.disposed) return;
    const before = this.sources;
    this.sources = stored.map((c) => before.find((s) => s.calendar.id === c.id && s.calendar.name === c.name) ?? this.source(c));
    for (const source of before) if (!this.sources.includes(source)) this.stop(source);
    this.publish();
    await Promise.all(this.sources.filter((s) => !before.includes(s)).map((s) => this.fetch(s)));
  }

  /** On wake or a menu open: the list again, and every calendar whose period has passed; the others are left as they are (no menu rebuild). */
  async refresh(): Promise<void> {
    const known = new Set(this.sources);
    await this.load();
    const now = this.deps.clock.now();
    await Promise.all(this.sources.filter((s) => known.has(s) && now >= s.nextFetchAt).map((s) => this.fetch(s)));
  }

  /**
   * Every calendar's meetings as the CLI would read them now, when that is what the tray holds: the
   * stored list is the one read, and each calendar was read without failure less than `maxAgeMs`
   * ago and within its feed's period. Undefined otherwise; no feed is asked either way.
   */
  async current(maxAgeMs: number): Promise<(readonly Meeting[])[] | undefined> {
    const stored = await this.deps.calendarList.load().catch(() => undefined);
    const { sources } = this;
    if (stored?.length !== sources.length || stored.some((c, i) => c.id !== sources[i]?.calendar.id || c.name !== sources[i]?.calendar.name)) return undefined;
    const now = this.deps.clock.now();
    const fresh = (s: CalendarSource): boolean => s.askedAt !== undefined && now - s.askedAt < maxAgeMs && now < s.nextFetchAt;
    if (!sources.every(fresh)) return undefined;
    // Not due, so read from the feed held, for the time now (as the CLI's read is); a calendar whose
    // last read failed throws that failure.
    return Promise.all(sources.map((s) => s.fetch())).catch(() => undefined);
  }

  /** The settings window's "Add": read once first, nothing kept when it does not work. */
  async add(address: string, name: string | undefined): Promise<{ name: string; count: number }> {
    const parsed = parseFeedAddress(address);
    if (!parsed.ok) throw new ZoomTrayError('usage', `That is not a calendar address: ${parsed.why}.`);
    // As the CLI checks it: the list drops a name it could not hold, which would lose the calendar just added.
    const problem = name === undefined ? undefined : nameProblem(name);
    if (problem) throw new ZoomTrayError('usage', `That name cannot be used: ${problem}.`);
    const added = await addCalendar(this.deps.calendarList, parsed.url, name, { now: this.deps.clock.now(), selfEmails: this.deps.selfEmails() });
    log.info(`added ${calendarLabel(added.calendar)}`);
    await this.load();
    return { name: added.calendar.name, count: added.count };
  }

  /** The settings window's "Add", answered as the window shows it: the count and the new view, or why not (nothing kept). */
  async addFromWindow(request: { address: string; name: string | undefined }, view: () => SettingsView): Promise<CalendarAddResult> {
    try {
      const added = await this.add(request.address, request.name);
      return { ok: true, ...added, view: view() };
    } catch (err) {
      log.warn('adding a calendar failed', err);
      return { ok: false, message: describeError(err) };
    }
  }

  async remove(name: string): Promise<void> {
    await this.deps.calendarList.remove(name);
    await this.load();
  }

  /** What the settings window lists: names, hosts and problems, never an address. */
  views(): CalendarView[] {
    return this.sources.map((s) => ({ name: s.calendar.name, host: s.calendar.host, ...(s.failure ? { problem: s.failure.message } : {}) }));
  }

  dispose(): void {
    this.disposed = true;
    for (const source of this.sources) this.stop(source);
    this.sources = [];
  }

  private source(calendar: CalendarSource['calendar']): CalendarSource {
    const { calendarList, clock, selfEmails } = this.deps;
    return new CalendarSource(calendar, { address: () => calendarList.address(calendar), clock, selfEmails });
  }

  private async fetch(source: CalendarSource): Promise<void> {
    try {
      await source.fetch();
    } catch (err) {
      // Said once per run of failures; the menu keeps the meetings it had.
      if (source.failures === 1 && this.sources.includes(source)) this.deps.notify({ title: `Calendar ${source.calendar.name} could not be read`, body: describeError(err) });
    }
    if (!this.sources.includes(source) || this.disposed) return;
    this.read.add(source);
    this.publish();
    this.schedule(source);
  }

  private schedule(source: CalendarSource): void {
    const { clock } = this.deps;
    clock.clearTimeout(this.timers.get(source));
    this.timers.set(
      source,
      clock.setTimeout(() => this.fetch(source), Math.max(0, source.nextFetchAt - clock.now())),
    );
  }

  private stop(source: CalendarSource): void {
    this.deps.clock.clearTimeout(this.timers.get(source));
    this.timers.delete(source);
  }

  private publish(): void {
    const shown: CalendarShown[] = this.sources.map((s) => ({
      name: s.calendar.name,
      host: s.calendar.host,
      // Undefined until first read: the menu says "Loading…" rather than "No meetings".
      ...(this.read.has(s) ? { meetings: s.lastGood } : {}),
    }));
    const current = this.deps.store.state.calendars;
    // The same calendars showing the same meetings: the state (and the menu) stay as they are.
    const same = current?.length === shown.length && shown.every((c, i) => c.name === current[i]?.name && c.host === current[i]?.host && c.meetings === current[i]?.meetings);
    this.deps.store.update({ calendars: shown.length === 0 ? undefined : same ? current : shown });
  }
}
