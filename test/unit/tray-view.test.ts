import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import type { AppState } from '../../main/app/state';
import { DEFAULT_SETTINGS } from '../../main/shared/settings-schema';
import { TrayView } from '../../main/tray/tray-view';
import { meeting } from '../harness/meetings';

const state: AppState = {
  auth: 'signed-in',
  user: { id: 'u', email: 'jane@example.com', pmi: '5551234567' },
  meetings: [],
  settings: DEFAULT_SETTINGS,
  shortcut: { accelerator: '', active: false },
  hasClientSecret: false,
  hasGovClientSecret: false,
  lockedByEnv: [],
};

function view(macOS = false) {
  const calls: string[] = [];
  const menus: EventEmitter[] = [];
  const tray = {
    setImage: (image: { name: string }) => void calls.push(`image ${image.name}`),
    setToolTip: (tip: string) => void calls.push(`tooltip ${tip}`),
    setContextMenu: () => void calls.push('menu'),
    setTitle: (title: string) => void calls.push(`title ${title}`),
  } as unknown as Tray;
  const icons = Object.fromEntries(['signed-out', 'ready', 'busy', 'error'].map((name) => [name, { name }])) as unknown as Record<string, NativeImage>;
  let opened = 0;
  const build = (template: MenuItemConstructorOptions[]): Menu => {
    const menu = Object.assign(new EventEmitter(), { template });
    menus.push(menu);
    return menu as unknown as Menu;
  };
  const actions: unknown[] = [];
  const v = new TrayView(tray, build, icons, (action) => void actions.push(action), () => void opened++, macOS);
  return { v, calls, menus, actions, opened: () => opened };
}

test('the tray is handed only what changed: the same state rebuilds nothing', () => {
  const t = view();
  t.v.render(state, []);
  assert.deepEqual(t.calls, ['image ready', 'tooltip zoom-tray — jane@example.com', 'menu']);
  t.calls.length = 0;
  t.v.render({ ...state }, []);
  assert.deepEqual(t.calls, []);
  t.v.render({ ...state, meetings: [meeting({ id: '81234567890', topic: 'Standup', start: new Date(Date.now() + 7_200_000).toISOString() })] }, []);
  assert.deepEqual(t.calls, ['menu'], 'a new meeting: a new menu, same icon and tooltip');
  t.calls.length = 0;
  t.v.render({ ...state, problem: 'Zoom is not reachable' }, []);
  assert.deepEqual(t.calls, ['image error', 'tooltip zoom-tray — Zoom is not reachable', 'menu']);
});

test('opening the menu is reported (Electron emits menu-will-show where the OS says so)', () => {
  const t = view();
  t.v.render(state, []);
  t.menus.at(-1)?.emit('menu-will-show');
  assert.equal(t.opened(), 1);
});

test('submenus reach Electron as submenus, and their items act', () => {
  const t = view();
  t.v.render(state, []);
  const template = (t.menus.at(-1) as unknown as { template: MenuItemConstructorOptions[] }).template;
  const copy = template.find((i) => i.label === 'Copy invitation');
  assert.equal(copy?.click, undefined);
  const room = (copy?.submenu as MenuItemConstructorOptions[] | undefined)?.find((i) => i.label === 'Personal meeting room');
  (room?.click as (() => void) | undefined)?.();
  assert.deepEqual(t.actions, [{ type: 'copy', what: 'invitation', target: { kind: 'pmi' } }]);
});

test('meeting times come from one formatter, not a new ICU formatter per label', () => {
  const Original = Intl.DateTimeFormat;
  let made = 0;
  const Counting = function (this: unknown, ...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
    made++;
    return new Original(...args);
  } as unknown as typeof Intl.DateTimeFormat;
  Intl.DateTimeFormat = Counting;
  const toLocale = Date.prototype.toLocaleTimeString;
  Date.prototype.toLocaleTimeString = () => {
    throw new Error('toLocaleTimeString builds a formatter per call');
  };
  try {
    const t = view();
    const start = Date.now() + 3_600_000;
    for (let i = 0; i < 50; i++) {
      const meetings = [0, 1, 2].map((n) => meeting({ id: `8123456789${n}`, topic: `M${n}`, start: new Date(start + (i * 3 + n) * 60_000) }));
      t.v.render({ ...state, meetings }, []);
    }
    assert.equal(t.calls.filter((c) => c === 'menu').length, 50);
    assert.ok(made <= 1, `${made} formatters for 150 labels`);
  } finally {
    Intl.DateTimeFormat = Original;
    Date.prototype.toLocaleTimeString = toLocale;
  }
});

test('a meeting within the hour is counted down in the tooltip, and on macOS beside the icon; redrawn only when the text changes', () => {
  const start = new Date('2026-11-30T10:04:00Z');
  const soon = { ...state, meetings: [meeting({ id: '81234567890', topic: 'Standup', start: start.toISOString(), duration: 15 })] };
  const mac = view(true);
  mac.v.render(soon, [], new Date('2026-11-30T10:00:00Z'));
  assert.ok(mac.calls.includes('tooltip zoom-tray — Standup in 4 min'));
  assert.ok(mac.calls.includes('title Standup in 4 min'));
  mac.calls.length = 0;
  mac.v.render(soon, [], new Date('2026-11-30T10:00:30Z'));
  assert.deepEqual(mac.calls, [], 'the same minute: nothing redrawn');
  mac.v.render(soon, [], new Date('2026-11-30T10:04:30Z'));
  assert.deepEqual(mac.calls, ['tooltip zoom-tray — jane@example.com', 'title '], 'started: the countdown goes');
  const linux = view(false);
  linux.v.render(soon, [], new Date('2026-11-30T10:00:00Z'));
  assert.ok(linux.calls.includes('tooltip zoom-tray — Standup in 4 min'));
  assert.ok(!linux.calls.some((c) => c.startsWith('title')), 'no menu-bar title outside macOS');
});
