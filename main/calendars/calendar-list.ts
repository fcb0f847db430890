import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ZoomTrayError } from '../lib/errors';
import { readSmallFile, writeFileAtomic } from '../lib/files';
import { log } from '../lib/log';
import { rememberSecret } from '../lib/redact';
import { withFileLock } from '../session/refresh-lock';
import { keychainStore, type SecretStore } from '../session/secret-store';
import type { KeychainClient } from '../session/keychain-client';
import { type CalendarRef, calendarLabel, nameProblem } from './calendar-names';
import { parseFeedAddress } from './feed-address';

/** A calendar as kept: its keychain entry's id, its name and its address's host. */
export interface StoredCalendar extends CalendarRef {
  readonly id: string;
}

/** A list of names and hosts; anything this big is not one. */
const MAX_BYTES = 256 * 1024;
/** Calendars an error lists when a name matches none. */
const MAX_LISTED = 5;

/** Calendar addresses live in a keychain service of their own, one entry per calendar (by id, so a name can change). */
export function calendarAddressService(service: string): string {
  return `${service}-calendar`;
}

function parse(text: string): StoredCalendar[] | undefined {
  let value: { v?: unknown; calendars?: unknown };
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    return undefined;
  }
  if (value?.v !== 1 || !Array.isArray(value.calendars)) return undefined;
  const calendars: StoredCalendar[] = [];
  // Names (whatever their case) and ids seen: a list of thousands is read in one pass, not one per calendar.
  const seen = new Set<string>();
  for (const item of value.calendars as Record<string, unknown>[]) {
    const { id, name, host } = item ?? {};
    if (typeof id !== 'string' || !/^[0-9a-f]{8,64}$/.test(id) || typeof name !== 'string' || nameProblem(name) || typeof host !== 'string' || !host) continue;
    const key = `name ${name.toLowerCase()}`;
    if (seen.has(key) || seen.has(`id ${id}`)) continue;
    seen.add(key).add(`id ${id}`);
    calendars.push({ id, name, host });
  }
  return calendars;
}

/**
 * The user's calendars, shared by the CLI and the tray: names and hosts in
 * `calendars-<service>.json` in the data folder, each address in the OS keychain (it works like a
 * password). Changes are made under a lock and written atomically, so two processes adding
 * calendars at once both land. A list that cannot be read counts as empty (`status()` says why),
 * and is kept aside (not overwritten) by the next add.
 */
export class CalendarList {
  private readonly file: string;
  private readonly lockFile: string;

  constructor(
    dataDir: string,
    private readonly service: string,
    /** Where the addresses are kept: the keychain (calendarListFor), a stand-in in tests. */
    private readonly addresses: SecretStore,
  ) {
    this.file = path.join(dataDir, `calendars-${service}.json`);
    this.lockFile = path.join(dataDir, `calendars-${service}.lock`);
  }

  async load(): Promise<StoredCalendar[]> {
    return (await this.read()).calendars ?? [];
  }

  /** The calendars, and why the list could not be read when it could not (then there are none): "the calendar list <file> is not valid". */
  async status(): Promise<{ readonly calendars: StoredCalendar[]; readonly problem?: string }> {
    const read = await this.read();
    return read.broken ? { calendars: [], problem: `the calendar list ${this.file} ${read.broken.why}` } : { calendars: read.calendars ?? [] };
  }

  /** The calendar a name names (case-insensitive); a usage error listing the others when none does. */
  async find(name: string): Promise<StoredCalendar> {
    const calendars = await this.load();
    // Lower-cased once: the name may be anything typed or pasted, megabytes even.
    const wanted = name.toLowerCase();
    const found = calendars.find((c) => c.name.toLowerCase() === wanted);
    if (found) return found;
    // One line, however many calendars the list holds.
    const known = `${calendars.slice(0, MAX_LISTED).map((c) => `"${c.name}"`).join(', ')}${calendars.length > MAX_LISTED ? `, and ${calendars.length - MAX_LISTED} more` : ''}`;
    // A name that could not be one (a pasted address…) is not repeated.
    const what = nameProblem(name) ? 'That calendar' : `Calendar "${name}"`;
    throw new ZoomTrayError('usage', `${what} is not in zoom-tray's list${known ? ` (calendars: ${known})` : ' (it has none)'}. \`zoom-tray calendar list\` lists them.`);
  }

  /** A calendar's secret address, from the keychain; a `calendar` error when it is gone. */
  async address(calendar: StoredCalendar): Promise<URL> {
    const stored = await this.addresses.get(calendar.id);
    const parsed = stored === undefined ? undefined : parseFeedAddress(stored);
    if (!parsed?.ok) {
      throw new ZoomTrayError('calendar', `The address of ${calendarLabel(calendar)} is no longer in the keychain. Add it again: \`zoom-tray calendar remove ${calendar.name}\`, then \`zoom-tray calendar add\`.`);
    }
    return parsed.url;
  }

  /**
   * Keeps a calendar: its address in the keychain, then its name and host in the list (a keychain
   * that refuses adds nothing; a list that cannot be written takes the address out again). `name`
   * is decided under the lock, from the calendars then listed: a name taken meanwhile is a usage
   * error from `name`.
   */
  async add(address: URL, name: (taken: readonly string[]) => string): Promise<StoredCalendar> {
    rememberSecret(address.href);
    return withFileLock(this.lockFile, async () => {
      const read = await this.read();
      const calendars = read.calendars ?? [];
      const calendar: StoredCalendar = { id: randomBytes(8).toString('hex'), name: name(calendars.map((c) => c.name)), host: address.host };
      await this.addresses.set(calendar.id, address.href);
      try {
        if (read.broken) await this.keepAside(read.broken.text);
        await this.write([...calendars, calendar]);
      } catch (err) {
        await this.addresses.delete(calendar.id).catch(() => undefined);
        throw err;
      }
      return calendar;
    });
  }

  /** Forgets a calendar: its address first (never a secret left behind a name that is gone), then its name. */
  async remove(name: string): Promise<StoredCalendar> {
    return withFileLock(this.lockFile, async () => {
      const calendar = await this.find(name);
      await this.addresses.delete(calendar.id);
      await this.write((await this.load()).filter((c) => c.id !== calendar.id));
      return calendar;
    });
  }

  private async read(): Promise<{ calendars?: StoredCalendar[]; broken?: { readonly why: string; readonly text?: string } }> {
    let text: string;
    try {
      text = await readSmallFile(this.file, MAX_BYTES);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { calendars: [] };
      log.warn(`the calendar list ${this.file} cannot be read; no calendars are read meanwhile`, err);
      return { broken: { why: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` } };
    }
    const calendars = parse(text);
    if (calendars) return { calendars };
    log.warn(`the calendar list ${this.file} is not valid; no calendars are read meanwhile`);
    return { broken: { why: 'is not valid', text } };
  }

  /**
   * Moves a list that could not be read out of the way. The addresses of the calendars it listed
   * stay in the keychain: with no list of the keychain's entries (SecretStore has none) and a list
   * that may yet be mended by hand, none is removed; the log says how many it seems to name and
   * where they are.
   */
  private async keepAside(text: string | undefined): Promise<void> {
    const aside = `${this.file}.bad-${randomBytes(4).toString('hex')}`;
    await fs.rename(this.file, aside).catch(() => undefined);
    const ids = new Set([...(text ?? '').matchAll(/"id"\s*:\s*"([0-9a-f]{8,64})"/g)].map((m) => m[1]));
    const named = text === undefined ? 'an unknown number of calendars' : `${ids.size} calendar${ids.size === 1 ? '' : 's'}`;
    log.warn(
      `the calendar list that could not be read was kept as ${path.basename(aside)}. The addresses of the calendars it listed (${named}) may remain in the keychain, service "${calendarAddressService(this.service)}", one entry per calendar id${ids.size > 0 ? ` (${[...ids].join(', ')})` : ''}: remove them with the system's keychain tool (Keychain Access, Credential Manager, Passwords and Keys or secret-tool).`,
    );
  }

  private async write(calendars: readonly StoredCalendar[]): Promise<void> {
    const text = `${JSON.stringify({ v: 1, calendars: calendars.map(({ id, name, host }) => ({ id, name, host })) }, null, 2)}\n`;
    try {
      await writeFileAtomic(this.file, text);
    } catch (err) {
      throw new ZoomTrayError(
        'local',
        `The list of your calendars could not be saved to ${this.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Check that folder's permissions and free space, or set ZOOM_TRAY_DATA_DIR to another folder.`,
        { cause: err },
      );
    }
  }
}

/** The calendars of a keychain service and data folder (the CLI's and the tray's, shared). */
export function calendarListFor(keychain: KeychainClient, dataDir: string, service: string): CalendarList {
  return new CalendarList(dataDir, service, keychainStore(keychain, calendarAddressService(service)));
}
