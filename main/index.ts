/**
 * Composition root of the tray app: the one module that imports electron at run time. It builds
 * the adapters and hands them to the AppController, which holds all behaviour.
 */
import os from 'node:os';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  clipboard,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  nativeTheme,
  Notification,
  powerMonitor,
  shell,
  Tray,
} from 'electron';
import { AppController } from './app/controller';
import { defaultDataDir, keychainServiceName } from './config';
import { describeError } from './errors';
import { VIEW_CHANGED } from './ipc/channels';
import { handleIpc } from './ipc/main-handlers';
import { loginItemSetter } from './login-item';
import { keychainClientSecrets } from './session/client-secrets';
import { SettingsStore } from './settings/store';
import { globalShortcutRegistry } from './shortcut';
import type { MenuAction } from './tray/menu-model';
import { loadTrayIcons, TrayView } from './tray/tray-view';
import { SettingsWindow } from './windows/settings-window';

const env = process.env;
const dataDir = defaultDataDir(env);
// The CLI and the app share one data folder (settings, refresh lock).
app.setPath('userData', dataDir);

async function main(): Promise<void> {
  // A tray app lives on with no window open, and quits only from its menu.
  app.on('window-all-closed', () => undefined);
  await app.whenReady();
  app.dock?.hide();

  const settingsWindow = new SettingsWindow({
    create: (options) => new BrowserWindow(options),
    htmlPath: path.join(__dirname, 'renderer', 'index.html'),
    preloadPath: path.join(__dirname, 'preload.js'),
    backgroundColor: () => (nativeTheme.shouldUseDarkColors ? '#1f1f1f' : '#ffffff'),
  });

  const controller = new AppController({
    env,
    platform: process.platform,
    store: new SettingsStore(path.join(dataDir, 'settings.json')),
    clientSecrets: keychainClientSecrets(keychainServiceName(env)),
    openExternal: (url) => shell.openExternal(url.href),
    notify: ({ title, body }) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    copyText: (text) => clipboard.writeText(text),
    shortcuts: globalShortcutRegistry(globalShortcut),
    setLaunchAtLogin: loginItemSetter({
      platform: process.platform,
      setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
      autostartDir: path.join(env.XDG_CONFIG_HOME?.trim() || path.join(os.homedir(), '.config'), 'autostart'),
      command: env.APPIMAGE ? [env.APPIMAGE] : app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()],
    }),
  });

  const dispatch = (action: MenuAction): void => {
    switch (action.type) {
      case 'start':
        void controller.start(action.target);
        return;
      case 'sign-in':
        void controller.signIn();
        return;
      case 'cancel-sign-in':
        controller.cancelSignIn();
        return;
      case 'copy-invite':
        void controller.copyInviteLink();
        return;
      case 'settings':
        settingsWindow.show();
        return;
      case 'sign-out':
        void controller.signOut();
        return;
      case 'quit':
        app.quit();
        return;
    }
  };

  const icons = loadTrayIcons((file) => nativeImage.createFromPath(file), path.join(__dirname, '..', 'assets', 'tray'), process.platform);
  const tray = new Tray(icons['signed-out']);
  // Windows opens tray menus on right-click only; a left click should show it too.
  if (process.platform === 'win32') tray.on('click', () => tray.popUpContextMenu());
  const trayView = new TrayView(tray, (template) => Menu.buildFromTemplate(template), icons, dispatch);
  controller.onChange((state) => {
    trayView.render(state);
    settingsWindow.send(VIEW_CHANGED, controller.view());
  });
  trayView.render(controller.state);

  handleIpc(
    ipcMain,
    {
      'settings:get': async () => controller.view(),
      'settings:save': (input) => controller.saveSettings(input),
      'auth:sign-in': async () => {
        void controller.signIn();
        return null;
      },
      'auth:sign-out': async () => {
        await controller.signOut();
        return null;
      },
    },
    (event) => settingsWindow.isTrusted(event.sender, event.senderFrame?.url),
  );

  app.on('second-instance', () => settingsWindow.show());
  powerMonitor.on('resume', () => void controller.refresh());
  app.on('will-quit', () => controller.dispose());

  await controller.init();
  if (controller.state.auth === 'needs-setup') settingsWindow.show();
}

if (app.requestSingleInstanceLock()) {
  main().catch((err: unknown) => {
    console.error(`zoom-tray failed to start: ${describeError(err)}`);
    app.exit(1);
  });
} else {
  // Another zoom-tray is running: it opens its settings window on our behalf.
  app.quit();
}
