/**
 * Boots the real bundled main process (dist/main.js) under plain Node, with every
 * require('electron') answered by the double, and serves the test's commands over IPC.
 */
import diagnostics from 'node:diagnostics_channel';
import Module from 'node:module';
import path from 'node:path';
import { setTimeout as realTimeout } from 'node:timers';
import * as electron from './electron-double';
import type { HostClock, HostCommand, HostProbe, HostReply, MenuItemSnapshot } from './host-protocol';
import { IN_FLIGHT, nodeWorkInFlight } from './in-flight';
import { installTimeWarp } from './time-warp';

// Before the bundle loads, so that every timer it sets can be jumped over. ZOOM_TRAY_TEST_NOW (ISO)
// starts the app's clock elsewhere than now (the host reads it; the app knows no such variable).
const startAt = Date.parse(process.env.ZOOM_TRAY_TEST_NOW ?? '');
const warp = installTimeWarp(Number.isNaN(startAt) ? undefined : startAt);

// HTTP requests under way (the app's undici publishes each one's start and end).
const requests = new Set<unknown>();
diagnostics.subscribe('undici:request:create', (m) => void requests.add((m as { request: unknown }).request));
for (const end of ['undici:request:trailers', 'undici:request:error']) diagnostics.subscribe(end, (m) => void requests.delete((m as { request: unknown }).request));
const busy = (): boolean => requests.size > 0 || electron.utilityWorkInFlight() || nodeWorkInFlight();
/** A stuck request (a keychain that never answers) fails the soak loudly rather than holding it. */
const SETTLE_LIMIT_MS = 60_000;

/**
 * Resolves once nothing is in flight for two turns of the event loop in a row: what the last timer
 * (or command) started has finished, and whatever that led to too. While something is, it looks
 * again each real millisecond (node:timers' own setTimeout, which the warp leaves alone) rather
 * than spinning, so the helper and the simulator it waits for get the CPU.
 */
async function settle(): Promise<void> {
  const started = performance.now();
  for (let quiet = 0; quiet < 2; ) {
    if (busy()) {
      quiet = 0;
      if (performance.now() - started > SETTLE_LIMIT_MS) throw new Error(`host: still busy after ${SETTLE_LIMIT_MS / 1000} s (${requests.size} requests, ${process.getActiveResourcesInfo().join(', ')})`);
      await new Promise((resolve) => realTimeout(resolve, 1));
    } else {
      quiet++;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** Tells the test the app's clock as it moves (a second apart at least: the simulator needs no finer). */
let toldClock = 0;
function tellClock(now: number): void {
  if (now - toldClock < 1000) return;
  toldClock = now;
  process.send?.({ clock: now } satisfies HostClock);
}

function probe(since: number): HostProbe {
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  collect?.();
  const { rss, heapUsed } = process.memoryUsage();
  const handles: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) if (kind !== 'Timeout' && kind !== 'Immediate' && !IN_FLIGHT.test(kind)) handles[kind] = (handles[kind] ?? 0) + 1;
  return {
    at: Date.now(),
    rss,
    heapUsed,
    timers: warp.pending,
    handles,
    notifications: recorded.notifications.slice(since).map((n, i) => ({ ...n, at: recorded.notificationTimes[since + i] ?? 0 })),
  };
}

const { recorded } = electron;
const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
const load = loader._load;
loader._load = function (request, parent, isMain) {
  return request === 'electron' ? electron : load.call(this, request, parent, isMain);
};

type MenuTemplate = typeof recorded.menu;

function snapshotMenu(menu: MenuTemplate = recorded.menu): MenuItemSnapshot[] {
  return menu.map((item) => ({
    type: item.type === 'separator' ? 'separator' : 'normal',
    label: item.label ?? '',
    enabled: item.enabled !== false,
    ...(item.accelerator ? { accelerator: String(item.accelerator) } : {}),
    ...(Array.isArray(item.submenu) ? { submenu: snapshotMenu(item.submenu) } : {}),
  }));
}

function settingsWindow(): electron.BrowserWindowDouble | undefined {
  return recorded.windows.find((w) => !w.isDestroyed());
}

async function run(command: HostCommand): Promise<unknown> {
  switch (command.op) {
    case 'menu':
      return snapshotMenu();
    case 'click': {
      const from = command.after === undefined ? 0 : recorded.menu.findIndex((i) => i.label === command.after);
      const below = from < 0 ? [] : recorded.menu.slice(from);
      const parent = command.within === undefined ? undefined : below.find((i) => i.label === command.within)?.submenu;
      const menu = command.within === undefined ? below : Array.isArray(parent) ? parent : [];
      const item = menu.find((i) => i.label === command.label);
      if (!item?.click || item.enabled === false) return false;
      (item.click as () => void)();
      return true;
    }
    case 'shortcut': {
      const press = recorded.shortcuts.get(command.accelerator);
      press?.();
      return press !== undefined;
    }
    case 'snapshot': {
      const win = settingsWindow();
      return {
        tray: recorded.tray,
        opened: recorded.opened,
        notifications: recorded.notifications,
        clipboard: recorded.clipboard,
        shortcuts: [...recorded.shortcuts.keys()],
        secondInstances: recorded.secondInstances,
        missingFiles: recorded.missingFiles,
        utilityProcesses: recorded.utilityProcesses,
        menusSet: recorded.menusSet,
        window: win
          ? {
              visible: win.visible,
              page: win.loadedFile,
              webPreferences: win.options.webPreferences,
              deniesNewWindows: win.webContents.windowOpenHandler?.({ url: 'https://evil.example/' } as never)?.action === 'deny',
              deniesPermissions: await new Promise<boolean>((resolve) => {
                const handler = win.webContents.permissionHandler;
                if (handler) handler(win.webContents, 'media', (granted) => resolve(!granted));
                else resolve(false);
              }),
              pushes: win.webContents.sent.length,
            }
          : undefined,
      };
    }
    case 'ipc': {
      const handler = recorded.handlers.get(command.channel);
      if (!handler) throw new Error(`no handler for ${command.channel}`);
      const win = settingsWindow();
      const event = command.trusted && win ? { sender: win.webContents, senderFrame: { url: win.pageUrl } } : { sender: { id: 9999 }, senderFrame: { url: 'https://evil.example/' } };
      return handler(event as never, command.payload);
    }
    case 'close-window':
      settingsWindow()?.close();
      return true;
    case 'resume':
      electron.powerMonitor.emit('resume');
      return true;
    case 'click-notification': {
      const shown = recorded.shownNotifications.at(command.index);
      shown?.emit('click', {});
      return shown !== undefined;
    }
    case 'set-clipboard':
      recorded.clipboard = command.text;
      return true;
    case 'open-menu':
      recorded.contextMenu?.emit('menu-will-show');
      return true;
    case 'quit':
      electron.app.quit();
      return true;
    case 'jump-to':
      return warp.jumpTo(command.at);
    case 'run-to':
      return warp.runTo(command.at, settle, tellClock);
    case 'sleep-to':
      tellClock(command.at);
      return warp.sleepTo(command.at, settle);
    case 'settle':
      await settle();
      return true;
    case 'kill-keychain':
      if (command.when === 'next-write') electron.crashOnNextWrite.armed = true;
      else for (const child of electron.utilityChildren) child.kill();
      return true;
    case 'probe':
      return probe(command.since);
  }
}

process.on('message', (message: { id: number; command: HostCommand }) => {
  run(message.command).then(
    (result) => process.send?.({ id: message.id, ok: true, result } satisfies HostReply),
    (err: unknown) => process.send?.({ id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies HostReply),
  );
});

require(process.env.ZOOM_TRAY_MAIN ?? path.resolve(__dirname, '../../dist/main.js'));
