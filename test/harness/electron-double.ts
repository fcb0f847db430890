/**
 * A test double of the Electron APIs zoom-tray uses, typed against Electron's own .d.ts: each
 * piece `satisfies` a Pick of the real interface, so a signature drift fails `tsc`. It records
 * what the app did (menus, opened URLs, notifications, windows) for the harness to inspect.
 */
import type * as Electron from 'electron';
import { EventEmitter } from 'node:events';
import { fork } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type MenuTemplate = Electron.MenuItemConstructorOptions[];

export const recorded = {
  menu: [] as MenuTemplate,
  /** The context menu as set, to open it (its 'menu-will-show'), and how many were set. */
  contextMenu: undefined as EventEmitter | undefined,
  menusSet: 0,
  /** The notifications shown, to click them. */
  shownNotifications: [] as EventEmitter[],
  tray: { image: '', tooltip: '' },
  opened: [] as string[],
  notifications: [] as { title: string; body: string }[],
  /** When each notification was shown (epoch ms, the app's clock), beside `notifications`. */
  notificationTimes: [] as number[],
  clipboard: '',
  shortcuts: new Map<string, () => void>(),
  windows: [] as BrowserWindowDouble[],
  secondInstances: 0,
  /** Files the app asked for that do not exist (Electron would show an empty icon or a blank window). */
  missingFiles: [] as string[],
  utilityProcesses: 0,
  handlers: new Map<string, (event: Electron.IpcMainInvokeEvent, ...args: unknown[]) => unknown>(),
};

/** Accelerators "held by another app": globalShortcut.register returns false for them. */
const taken = new Set((process.env.ZOOM_TRAY_TEST_TAKEN_SHORTCUTS ?? '').split(',').filter(Boolean));

// --- app -------------------------------------------------------------------------------------
const appEvents = new EventEmitter();
const paths = new Map<string, string>();
let singleton: { lock: string; socket: string; server?: net.Server } | undefined;
const pending: Promise<unknown>[] = [];

/**
 * Electron's single-instance lock, as Chromium does it: a lock in userData and a socket to the
 * holder, which hears the second instance's argv and additionalData.
 */
function requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean {
  const dir = paths.get('userData') ?? process.cwd();
  const lock = path.join(dir, 'SingletonLock');
  const socket = path.join(dir, 'SingletonSocket');
  try {
    closeSync(openSync(lock, 'wx'));
    writeFileSync(lock, String(process.pid));
  } catch {
    const holder = Number(readFileSync(lock, 'utf8'));
    let alive = true;
    try {
      process.kill(holder, 0);
    } catch {
      alive = false;
    }
    if (alive) {
      pending.push(
        new Promise<void>((resolve) => {
          const client = net.connect(socket, () => client.end(JSON.stringify({ argv: process.argv, additionalData }), () => resolve()));
          client.on('error', () => resolve());
        }),
      );
      return false;
    }
    writeFileSync(lock, String(process.pid));
  }
  rmSync(socket, { force: true });
  const server = net.createServer((conn) => {
    let text = '';
    conn.on('data', (chunk: Buffer) => (text += chunk.toString()));
    conn.on('end', () => {
      recorded.secondInstances++;
      const { argv, additionalData } = JSON.parse(text) as { argv: string[]; additionalData?: unknown };
      appEvents.emit('second-instance', {}, argv, process.cwd(), additionalData ?? {});
    });
  });
  server.listen(socket);
  server.unref();
  singleton = { lock, socket, server };
  return true;
}

function exit(code: number): void {
  void Promise.all(pending).then(() => {
    if (singleton) {
      rmSync(singleton.lock, { force: true });
      rmSync(singleton.socket, { force: true });
    }
    process.exit(code);
  });
}

const appMethods = {
  setPath: (name: string, value: string) => void paths.set(name, value),
  getAppPath: () => process.cwd(),
  getVersion: () => '0.0.0-double',
  setAppUserModelId: () => undefined,
  whenReady: () => Promise.resolve(),
  requestSingleInstanceLock,
  releaseSingleInstanceLock: () => {
    if (!singleton) return;
    singleton.server?.close();
    rmSync(singleton.lock, { force: true });
    rmSync(singleton.socket, { force: true });
    singleton = undefined;
  },
  quit: () => {
    appEvents.emit('will-quit', { preventDefault: () => undefined });
    exit(0);
  },
  exit,
} satisfies Partial<Electron.App>;
export const app = Object.assign(appEvents, appMethods, { isPackaged: false, dock: undefined });

// --- windows -----------------------------------------------------------------------------------
let nextId = 1;
class WebContentsDouble extends EventEmitter {
  readonly id = nextId++;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse) | undefined;
  permissionHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  readonly session = {
    setPermissionRequestHandler: (handler: Parameters<Electron.Session['setPermissionRequestHandler']>[0]) =>
      void (this.permissionHandler = handler as NonNullable<WebContentsDouble['permissionHandler']>),
  } satisfies Partial<Electron.Session>;
  setWindowOpenHandler(handler: (details: Electron.HandlerDetails) => Electron.WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
}

export class BrowserWindowDouble extends EventEmitter {
  readonly webContents = new WebContentsDouble();
  loadedFile = '';
  visible = false;
  private destroyed = false;
  constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
    super();
    recorded.windows.push(this);
  }
  loadFile(file: string): Promise<void> {
    if (!existsSync(file)) recorded.missingFiles.push(file);
    const preload = this.options.webPreferences?.preload;
    if (preload && !existsSync(preload)) recorded.missingFiles.push(preload);
    this.loadedFile = file;
    setImmediate(() => this.emit('ready-to-show'));
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.emit('closed');
  }
  destroy(): void {
    this.close();
  }
  get pageUrl(): string {
    return pathToFileURL(this.loadedFile).href;
  }
}
export const BrowserWindow = Object.assign(BrowserWindowDouble, {
  getAllWindows: () => recorded.windows.filter((w) => !w.isDestroyed()),
});

// --- tray, menu, images --------------------------------------------------------------------
export const nativeImage = {
  createFromPath: (file: string) => {
    if (!existsSync(file)) recorded.missingFiles.push(file);
    return { file } as unknown as Electron.NativeImage;
  },
} satisfies Pick<typeof Electron.nativeImage, 'createFromPath'>;

class MenuDouble extends EventEmitter {
  constructor(readonly template: MenuTemplate) {
    super();
  }
}
export const Menu = {
  buildFromTemplate: (template: MenuTemplate) => new MenuDouble(template) as unknown as Electron.Menu,
} satisfies Pick<typeof Electron.Menu, 'buildFromTemplate'>;

export class Tray extends EventEmitter {
  private destroyed = false;
  constructor(image: Electron.NativeImage | string) {
    super();
    this.setImage(image);
  }
  /** Electron's Tray throws on every call once destroyed; so does this one. */
  private alive(): void {
    if (this.destroyed) throw new Error('Tray is destroyed');
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setImage(image: Electron.NativeImage | string): void {
    this.alive();
    recorded.tray.image = typeof image === 'string' ? image : (image as unknown as { file: string }).file;
  }
  setToolTip(tooltip: string): void {
    this.alive();
    recorded.tray.tooltip = tooltip;
  }
  setContextMenu(menu: Electron.Menu | null): void {
    this.alive();
    recorded.menu = menu ? (menu as unknown as MenuDouble).template : [];
    recorded.contextMenu = menu ? (menu as unknown as MenuDouble) : undefined;
    recorded.menusSet++;
  }
  popUpContextMenu(): void {}
}

// --- the rest ----------------------------------------------------------------------------------
export const shell = {
  openExternal: async (url: string) => void recorded.opened.push(url),
} satisfies Pick<Electron.Shell, 'openExternal'>;

export const clipboard = {
  writeText: async (text: string) => void (recorded.clipboard = text),
  readText: async () => recorded.clipboard,
} satisfies Pick<Electron.Clipboard, 'writeText' | 'readText'>;

export const globalShortcut = {
  register: (accelerator: string, callback: () => void) => {
    if (taken.has(accelerator)) return false;
    recorded.shortcuts.set(accelerator, callback);
    return true;
  },
  unregisterAll: () => recorded.shortcuts.clear(),
} satisfies Pick<Electron.GlobalShortcut, 'register' | 'unregisterAll'>;

export const ipcMain = {
  handle: (channel: string, listener: (event: Electron.IpcMainInvokeEvent, ...args: unknown[]) => unknown) =>
    void recorded.handlers.set(channel, listener),
} satisfies Pick<Electron.IpcMain, 'handle'>;

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  constructor(private readonly options: Electron.NotificationConstructorOptions) {
    super();
  }
  show(): void {
    recorded.notifications.push({ title: this.options.title ?? '', body: this.options.body ?? '' });
    recorded.notificationTimes.push(Date.now());
    recorded.shownNotifications.push(this);
  }
}

/**
 * The utility processes running (the keychain's), each with the messages it has yet to answer (one
 * reply per request) and whether the app told it to end: a soak waits for them before moving time
 * on, and kills one as a crash would.
 */
export const utilityChildren = new Set<{ pending: number; ending: boolean; kill: () => void }>();
/** A utility process has a request unanswered, or was told to end and has not exited yet. */
export const utilityWorkInFlight = (): boolean => [...utilityChildren].some((c) => c.pending > 0 || c.ending);
/** Set: the next keychain write kills its helper just after it is sent, as a crash in the middle of saving would. */
export const crashOnNextWrite = { armed: false };

/** Electron's utility process: a Node child that sees process.parentPort, as in Electron. */
export const utilityProcess = {
  fork: (modulePath: string, args?: string[], options?: Electron.ForkOptions) => {
    if (!existsSync(modulePath)) recorded.missingFiles.push(modulePath);
    recorded.utilityProcesses++;
    const shim = path.join(__dirname, 'utility-process-shim.cjs');
    const child = fork(shim, [modulePath, ...(args ?? [])], { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'], ...(options?.env ? { env: options.env as NodeJS.ProcessEnv } : {}) });
    const emitter = new EventEmitter();
    const tracked = { pending: 0, ending: false, kill: () => void child.kill('SIGKILL') };
    utilityChildren.add(tracked);
    child.on('message', (message) => {
      tracked.pending--;
      emitter.emit('message', message);
    });
    child.on('exit', (code) => {
      utilityChildren.delete(tracked);
      emitter.emit('exit', code ?? 1);
    });
    return Object.assign(emitter, {
      postMessage: (message: unknown) => {
        tracked.pending++;
        child.send(message as never);
        // The write may or may not reach the keychain before the helper dies.
        if (crashOnNextWrite.armed && (message as { op?: string }).op === 'set') {
          crashOnNextWrite.armed = false;
          tracked.kill();
        }
      },
      kill: () => {
        tracked.ending = true;
        return child.kill('SIGTERM');
      },
      pid: child.pid,
    }) as unknown as Electron.UtilityProcess;
  },
} satisfies Pick<typeof Electron.utilityProcess, 'fork'>;

export const nativeTheme = { shouldUseDarkColors: false } satisfies Pick<Electron.NativeTheme, 'shouldUseDarkColors'>;
export const powerMonitor = new EventEmitter();
