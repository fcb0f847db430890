/**
 * Boots the real bundled main process (dist/main.js) under plain Node, with every
 * require('electron') answered by the double, and serves the test's commands over IPC.
 */
import Module from 'node:module';
import path from 'node:path';
import * as electron from './electron-double';
import type { HostCommand, HostReply, MenuItemSnapshot } from './host-protocol';
import { installTimeWarp } from './time-warp';

// Before the bundle loads, so that every timer it sets can be jumped over.
const warp = installTimeWarp();

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
  }
}

process.on('message', (message: { id: number; command: HostCommand }) => {
  run(message.command).then(
    (result) => process.send?.({ id: message.id, ok: true, result } satisfies HostReply),
    (err: unknown) => process.send?.({ id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies HostReply),
  );
});

require(process.env.ZOOM_TRAY_MAIN ?? path.resolve(__dirname, '../../dist/main.js'));
