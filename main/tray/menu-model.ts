import type { AppState, OtherAccount } from '../app/state';
import { type AccountRef, CLOUD_NAMES } from '../shared/clouds';
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

/** One account's part of the menu: its personal room, an instant meeting and what is upcoming; clicks carry `account`. */
function accountItems(
  meetings: readonly Meeting[] | undefined,
  options: MenuOptions & { account?: AccountRef; shortcutFor: (kind: Target['kind']) => { accelerator?: string } },
): MenuItemModel[] {
  const { now, account, shortcutFor } = options;
  const formatTime = options.formatTime ?? defaultTime;
  const whose = account ? { account } : {};
  const items: MenuItemModel[] = [
    { label: 'Start my personal meeting room', action: { type: 'start', target: { kind: 'pmi' }, ...whose }, ...shortcutFor('pmi') },
    { label: 'New instant meeting', action: { type: 'start', target: { kind: 'instant' }, ...whose }, ...shortcutFor('instant') },
    SEPARATOR,
    { label: 'Upcoming' },
  ];
  const soon = todayAndTomorrow(meetings ?? [], now).map((m) => ({
    id: m.id,
    label: `${dayOffset(m.start, now) === 1 ? 'Tomorrow ' : ''}${formatTime(m.start)}  ${literal(m.topic)}`,
    click: m.action.kind === 'start' ? ({ type: 'start', target: { kind: 'id', id: m.id }, ...whose } as const) : ({ type: 'join', url: m.action.url } as const),
  }));
  if (meetings === undefined) items.push({ label: '  Loading…' });
  else if (soon.length === 0) items.push({ label: '  No meetings today or tomorrow' });
  // The "next" shortcut starts the next meeting the account hosts: its key is shown there.
  const next = soon.find((m) => m.click.type === 'start');
  for (const m of soon) items.push({ label: m.label, action: m.click, ...(m === next ? shortcutFor('next') : {}) });
  // Copying sits in submenus, so that every meeting above stays one click from starting.
  const copies = (what: Copyable): MenuItemModel[] => [
    { label: 'Personal meeting room', action: { type: 'copy', what, target: { kind: 'pmi' }, ...whose } },
    ...(soon.length ? [SEPARATOR] : []),
    ...soon.map((m): MenuItemModel => ({ label: m.label, action: { type: 'copy', what, target: { kind: 'id', id: m.id }, ...whose } })),
  ];
  items.push({ label: 'Copy invitation', submenu: copies('invitation') }, { label: 'Copy meeting ID and passcode', submenu: copies('id-and-passcode') });
  return items;
}

/** Another signed-in account: a heading that names it (and its cloud), then its meetings. */
function otherAccount(other: OtherAccount, options: MenuOptions): MenuItemModel[] {
  const cloud = other.account.cloud === 'commercial' ? '' : ` · ${CLOUD_NAMES[other.account.cloud]}`;
  if (!other.signedIn) return [SEPARATOR, { label: `⚠ ${literal(other.account.email)}${cloud}: Zoom ended this sign-in — add the account again…`, action: { type: 'settings' } }];
  return [SEPARATOR, { label: `${who(other.user, other.account.email)}${cloud}` }, ...accountItems(other.meetings, { ...options, account: other.account, shortcutFor: () => ({}) })];
}

/**
 * state → menu. Every action lives in the menu because Linux shows a tray only as a context menu.
 * With several accounts, the default account comes first (the shortcut starts its meetings), then
 * each other account under a heading. Pure, so it is tested without Electron.
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
      items.push(...accountItems(state.meetings, { ...options, shortcutFor, ...(state.account ? { account: state.account } : {}) }));
      for (const other of state.others ?? []) items.push(...otherAccount(other, options));
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
