import { type AppState, agendaOf, type OtherAccount } from '../app/state';
import { type AccountRef, CLOUD_NAMES, sameAccountOrNone } from '../shared/clouds';
import type { Copyable, CopyTarget } from '../meetings/invitation';
import type { Target } from '../meetings/launcher';
import { type Meeting, upcoming } from '../meetings/meeting';
import { printable } from '../lib/redact';
import type { ZoomUser } from '../zoom/schemas';
import type { UpdateMenuAction, UpdateMenuItem } from '../updates/update-policy';
import { countdown } from './countdown';

export type MenuAction =
  /** `account`: another account than the default one. */
  | { readonly type: 'start'; readonly target: Target; readonly account?: AccountRef }
  | { readonly type: 'sign-in' }
  | { readonly type: 'cancel-sign-in' }
  | { readonly type: 'copy-invite' }
  | { readonly type: 'copy'; readonly what: Copyable; readonly target: CopyTarget; readonly account?: AccountRef }
  | { readonly type: 'join-clipboard' }
  /** A meeting someone else hosts, joined by its own link. */
  | { readonly type: 'join'; readonly url: string }
  /** Copies a meeting's link (its passcode in it), for one someone else hosts. */
  | { readonly type: 'copy-link'; readonly url: string; readonly topic: string }
  | { readonly type: 'settings' }
  | { readonly type: 'sign-out'; readonly account?: AccountRef }
  | { readonly type: 'quit' }
  | UpdateMenuAction;

export interface MenuItemModel {
  readonly type?: 'separator';
  readonly label?: string;
  /** Absent: an information line, shown disabled. */
  readonly action?: MenuAction;
  /** Shown, not registered: the global shortcut owns the key. */
  readonly accelerator?: string;
  /** Opens beside the item; the item itself does nothing. */
  readonly submenu?: readonly MenuItemModel[];
}

export type TrayIconName = 'signed-out' | 'ready' | 'busy' | 'error';

const SEPARATOR: MenuItemModel = { type: 'separator' };
const MAX_UPCOMING = 8;

/** Text from Zoom (a topic, a name) as a label: shown as written, never reordered, and "&" not a mnemonic. */
function literal(text: string): string {
  return printable(text).replace(/&/g, '&&');
}

function dayOffset(date: Date, now: Date): number {
  const day = (d: Date): number => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  return Math.round((day(date) - day(now)) / 86_400_000);
}

export interface MenuOptions {
  readonly now: Date;
  /** What the updater offers (check, progress, restart), shown just above Quit. */
  readonly updates?: readonly UpdateMenuItem[];
  readonly formatTime?: (date: Date) => string;
}

// One formatter for the process: toLocaleTimeString with options builds a new ICU formatter on
// every call, in native memory the garbage collector does not see, so a formatter per label and
// per click grows the tray's resident memory with every click.
let timeFormat: Intl.DateTimeFormat | undefined;
const defaultTime = (date: Date): string => (timeFormat ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })).format(date);

/** The next meetings of today and tomorrow, local time. */
function todayAndTomorrow(meetings: readonly Meeting[], now: Date): Meeting[] {
  return upcoming(meetings, now)
    .filter((m) => dayOffset(m.start, now) <= 1)
    .slice(0, MAX_UPCOMING);
}

function who(user: ZoomUser | undefined, fallback: string): string {
  if (!user) return literal(fallback);
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return literal(name ? `${name} (${user.email})` : user.email);
}

/** The personal room and an instant meeting of one account; clicks carry `account`. */
function startItems(account: AccountRef | undefined, shortcutFor: (kind: Target['kind']) => { accelerator?: string }): MenuItemModel[] {
  const whose = account ? { account } : {};
  return [
    { label: 'Start my personal meeting room', action: { type: 'start', target: { kind: 'pmi' }, ...whose }, ...shortcutFor('pmi') },
    { label: 'New instant meeting', action: { type: 'start', target: { kind: 'instant' }, ...whose }, ...shortcutFor('instant') },
  ];
}

interface Line {
  readonly meeting: Meeting;
  readonly label: string;
}

/**
 * Every account's and every calendar's meetings of today and tomorrow, soonest first, each saying
 * what a click does: "Start · 10:00  Roadmap" (as host, with the account that hosts it, named when
 * it is not the default one) or "Join · 11:00  Design review" (by its link).
 */
function upcomingLines(state: AppState, options: MenuOptions): Line[] {
  const { now } = options;
  const formatTime = options.formatTime ?? defaultTime;
  return todayAndTomorrow(agendaOf(state), now).map((m) => {
    const verb = m.action.kind === 'start' ? 'Start' : 'Join';
    const whose = m.action.kind === 'start' && m.account && !sameAccountOrNone(m.account, state.account) ? `  · ${literal(m.account.email)}` : '';
    return { meeting: m, label: `${verb} · ${dayOffset(m.start, now) === 1 ? 'Tomorrow ' : ''}${formatTime(m.start)}  ${literal(m.topic)}${whose}` };
  });
}

function clickOf(m: Meeting): MenuAction {
  return m.action.kind === 'start' ? { type: 'start', target: { kind: 'id', id: m.id }, ...(m.account ? { account: m.account } : {}) } : { type: 'join', url: m.action.url };
}

/**
 * What the Copy submenus hold: each account's personal room, then the upcoming meetings. A meeting
 * an account hosts copies Zoom's invitation (or ID and passcode) as that account; any other one
 * copies its link, passcode included.
 */
function copyItems(what: Copyable, lines: readonly Line[], state: AppState): MenuItemModel[] {
  const rooms: MenuItemModel[] = [
    { label: 'Personal meeting room', action: { type: 'copy', what, target: { kind: 'pmi' }, ...(state.account ? { account: state.account } : {}) } },
    ...(state.others ?? [])
      .filter((o) => o.signedIn)
      .map((o): MenuItemModel => ({ label: `Personal meeting room · ${literal(o.account.email)}`, action: { type: 'copy', what, target: { kind: 'pmi' }, account: o.account } })),
  ];
  const meetings = lines.map(({ meeting: m, label }): MenuItemModel => {
    if (m.action.kind === 'join') return { label, action: { type: 'copy-link', url: m.action.url, topic: m.topic } };
    return { label, action: { type: 'copy', what, target: { kind: 'id', id: m.id }, ...(m.account ? { account: m.account } : {}) } };
  });
  return [...rooms, ...(meetings.length ? [SEPARATOR] : []), ...meetings];
}

/** The Upcoming section (and the Copy submenus when an account can copy): nothing at all without a source. */
function upcomingItems(state: AppState, options: MenuOptions, shortcutFor: (kind: Target['kind']) => { accelerator?: string }): MenuItemModel[] {
  const signedIn = state.auth === 'signed-in';
  if (!signedIn && !state.calendars?.length) return [];
  const lines = upcomingLines(state, options);
  const items: MenuItemModel[] = [{ label: 'Upcoming' }];
  const loading = (signedIn && state.meetings === undefined) || state.calendars?.some((c) => c.meetings === undefined);
  if (loading && lines.length === 0) items.push({ label: '  Loading…' });
  else if (lines.length === 0) items.push({ label: '  No meetings today or tomorrow' });
  // The "next" shortcut starts the default account's next meeting it hosts: its key is shown there.
  const next = lines.find(({ meeting: m }) => m.action.kind === 'start' && sameAccountOrNone(m.account, state.account));
  for (const line of lines) items.push({ label: line.label, action: clickOf(line.meeting), ...(line === next ? shortcutFor('next') : {}) });
  // Copying sits in submenus, so that every meeting above stays one click from starting.
  if (signedIn) items.push({ label: 'Copy invitation', submenu: copyItems('invitation', lines, state) }, { label: 'Copy meeting ID and passcode', submenu: copyItems('id-and-passcode', lines, state) });
  return items;
}

/** Another signed-in account: a heading that names it (and its cloud), then its personal room and an instant meeting. */
function otherAccount(other: OtherAccount): MenuItemModel[] {
  const cloud = other.account.cloud === 'commercial' ? '' : ` · ${CLOUD_NAMES[other.account.cloud]}`;
  if (!other.signedIn) return [SEPARATOR, { label: `⚠ ${literal(other.account.email)}${cloud}: Zoom ended this sign-in — add the account again…`, action: { type: 'settings' } }];
  return [SEPARATOR, { label: `${who(other.user, other.account.email)}${cloud}` }, ...startItems(other.account, () => ({}))];
}

/**
 * state → menu. Every action lives in the menu because Linux shows a tray only as a context menu.
 * The default account's personal room and instant meeting come first (the shortcut starts its
 * meetings), then every meeting of today and tomorrow from every account and calendar, then each
 * other account under a heading. Pure, so it is tested without Electron.
 */
export function menuModel(state: AppState, options: MenuOptions): MenuItemModel[] {
  const shortcutFor = (kind: Target['kind']): { accelerator?: string } =>
    state.shortcut.active && state.settings.defaultMeeting === kind ? { accelerator: state.shortcut.accelerator } : {};
  const items: MenuItemModel[] = [];
  const info = (label: string): void => void items.push({ label });
  const tail: MenuItemModel[] = [SEPARATOR, { label: 'Settings…', action: { type: 'settings' } }];
  // Joining needs no sign-in: offered whenever zoom-tray is set up.
  const join: MenuItemModel = {
    label: 'Join meeting from clipboard',
    action: { type: 'join-clipboard' },
    ...(state.joinShortcut?.active ? { accelerator: state.joinShortcut.accelerator } : {}),
  };
  const quit: MenuItemModel[] = [SEPARATOR, ...(options.updates ?? []), { label: 'Quit zoom-tray', action: { type: 'quit' } }];

  if (state.warning) info(`⚠ ${state.warning}`);
  if (state.problem) info(`⚠ ${state.problem}`);

  switch (state.auth) {
    case 'starting':
      info('Starting…');
      return [...items, ...tail, ...quit];
    case 'needs-setup':
      items.push({ label: 'Set up zoom-tray…', action: { type: 'settings' } });
      return [...items, ...quit];
    case 'signed-out':
      items.push({ label: 'Sign in to Zoom…', action: { type: 'sign-in' } });
      // Calendars need no sign-in: their meetings are joined by their links.
      if (state.calendars?.length) items.push(SEPARATOR, ...upcomingItems(state, options, shortcutFor), SEPARATOR);
      break;
    case 'signing-in':
      info('Waiting for browser sign-in…');
      items.push({ label: 'Cancel sign-in', action: { type: 'cancel-sign-in' } });
      break;
    case 'signed-in': {
      const user = state.user;
      if (user) info(who(user, user.email));
      if (state.busy) info(state.busy);
      items.push(SEPARATOR);
      // Each click names its account: the menu on screen may be older than a change of default.
      items.push(...startItems(state.account, shortcutFor), SEPARATOR, ...upcomingItems(state, options, shortcutFor));
      for (const other of state.others ?? []) items.push(...otherAccount(other));
      items.push(SEPARATOR);
      if (state.addingAccount) {
        info('Waiting for browser sign-in…');
        items.push({ label: 'Cancel sign-in', action: { type: 'cancel-sign-in' } });
      }
      if (user?.personal_meeting_url) items.push({ label: 'Copy invite link', action: { type: 'copy-invite' } });
      tail.push({ label: 'Sign out', action: { type: 'sign-out', ...(state.account ? { account: state.account } : {}) } });
      break;
    }
  }
  for (const taken of [state.shortcut, state.joinShortcut]) {
    if (taken?.problem) items.push({ label: `⚠ Shortcut ${taken.accelerator} is taken — change it…`, action: { type: 'settings' } });
  }
  return [...items, join, ...tail, ...quit];
}

/** Which icon the tray shows, and its tooltip: a meeting within the hour is counted down there. */
export function trayIcon(state: AppState, now: Date = new Date()): { icon: TrayIconName; tooltip: string } {
  if (state.busy || state.auth === 'signing-in') return { icon: 'busy', tooltip: `zoom-tray — ${state.busy ?? 'signing in…'}` };
  const problem = state.problem || state.warning || state.shortcut.problem || state.joinShortcut?.problem;
  if (problem) return { icon: 'error', tooltip: `zoom-tray — ${problem}` };
  if (state.auth === 'signed-in') return { icon: 'ready', tooltip: `zoom-tray — ${countdown(state, now) ?? state.user?.email ?? 'signed in'}` };
  const tooltips = { starting: 'zoom-tray — starting…', 'needs-setup': 'zoom-tray — set up in Settings', 'signed-out': 'zoom-tray — signed out' } as const;
  return { icon: 'signed-out', tooltip: tooltips[state.auth === 'starting' || state.auth === 'needs-setup' ? state.auth : 'signed-out'] };
}
