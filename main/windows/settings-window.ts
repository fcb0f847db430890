import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron';
import { pathToFileURL } from 'node:url';

export interface SettingsWindowOptions {
  readonly create: (options: BrowserWindowConstructorOptions) => BrowserWindow;
  readonly htmlPath: string;
  readonly preloadPath: string;
  readonly backgroundColor: () => string;
}

/**
 * The one window: created on demand, locked down (context isolation, sandbox, no Node, no
 * navigation, no new windows, no permissions), and the only trusted IPC sender.
 */
export class SettingsWindow {
  private win: BrowserWindow | undefined;
  private readonly pageUrl: string;

  constructor(private readonly options: SettingsWindowOptions) {
    this.pageUrl = pathToFileURL(options.htmlPath).href;
  }

  show(): void {
    if (this.win && !this.win.isDestroyed()) {
      this.win.show();
      this.win.focus();
      return;
    }
    const win = this.options.create({
      width: 520,
      height: 660,
      title: 'zoom-tray settings',
      show: false,
      resizable: true,
      autoHideMenuBar: true,
      backgroundColor: this.options.backgroundColor(),
      webPreferences: {
        preload: this.options.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        spellcheck: false,
        partition: 'zoom-tray-settings',
      },
    });
    const contents = win.webContents;
    contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (this.win === win) this.win = undefined;
    });
    this.win = win;
    void win.loadFile(this.options.htmlPath);
  }

  /** An IPC message is trusted only from this window's own page. */
  isTrusted(sender: WebContents, frameUrl: string | undefined): boolean {
    const win = this.win;
    return !!win && !win.isDestroyed() && sender.id === win.webContents.id && frameUrl === this.pageUrl;
  }

  send(channel: string, payload: unknown): void {
    if (this.win && !this.win.isDestroyed()) this.win.webContents.send(channel, payload);
  }
}
