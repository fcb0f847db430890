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
  utilityProcess,
} from 'electron';
import { APP_ID } from './platform/app-id';
import { AppController } from './app/controller';
import { defaultDataDir, keychainServiceName } from './core/config';
import { Core } from './core/core';
import { answerRequest } from './endpoint/answers';
import { endpointFor } from './endpoint/address';
import { configDigest } from './endpoint/protocol';
import { type EndpointServer, listenEndpoint } from './endpoint/server';
import { describeError, isZoomTrayError } from './lib/errors';
import { VIEW_CHANGED } from './shared/ipc-channels';
import { handleIpc } from './windows/ipc-handlers';
import { accountRequest, calendarAddRequest, calendarRemoveRequest, signInRequest, signOutRequest } from './windows/ipc-requests';
import { calendarListFor } from './calendars/calendar-list';
import { type HandOff, handOffTarget, linkArgument, startArgument, URL_SCHEME } from './app/launch-args';
import { makeDir } from './lib/files';
import { log, logLevel, openLog } from './lib/log';
import { loginItemSetter } from './platform/login-item';
import { notifier } from './platform/notifier';
import { keychainClientSecrets } from './session/client-secrets';
import { accountIndexFor } from './session/accounts';
import { KeychainClient } from './session/keychain-client';
import { utilityKeychain } from './session/keychain-utility';
import { migrateFromKeytar } from './session/keytar-migration';
import { SettingsStore } from './core/settings-store';
import { globalShortcutRegistry } from './platform/shortcut';
import type { MenuAction } from './tray/menu-model';
import { loadTrayIcons, TrayView } from './tray/tray-view';
import { electronUpdater, installFacts, Updates } from './updates/updater';
import { SettingsWindow } from './windows/settings-window';

const env = process.env;
const dataDir = defaultDataDir(env);
// The CLI and the app share one data folder (settings, refresh lock, log).
app.setPath('userData', dataDir);

async function main(): Promise<void> {
  // One that cannot be made means no log; each thing kept there says so when it is saved.
  await makeDir(dataDir).catch(() => undefined);
  openLog(dataDir, 'tray', logLevel(env));
  // A tray app lives on with no window open, and quits only from its menu.
  app.on('window-all-closed', () => undefined);
  await app.whenReady();
  app.dock?.hide();
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  log.info(`zoom-tray ${app.getVersion()} starting`);

  const keychain = new KeychainClient({ spawn: utilityKeychain((modulePath, args, options) => utilityProcess.fork(modulePath, args, options)) });
  const service = keychainServiceName(env);
  const notify = notifier(Notification, process.platform);
  const accounts = accountIndexFor(keychain, dataDir, service, (message) => notify({ title: 'Your list of Zoom accounts could not be read', body: message }));

  const settingsWindow = new SettingsWindow({
    create: (options) => new BrowserWindow(options),
    htmlPath: path.join(__dirname, 'renderer', 'index.html'),
    preloadPath: path.join(__dirname, 'preload.js'),
    backgroundColor: () => (nativeTheme.shouldUseDarkColors ? '#1f1f1f' : '#ffffff'),
  });

  // How a desktop starts this app: autostart, and the `--start` command for custom shortcuts.
  const launchCommand = env.APPIMAGE ? [env.APPIMAGE] : app.isPackaged ? [process.execPath] : [process.execPath, app.getAppPath()];
  const controller = new AppController({
    env,
    platform: process.platform,
    launchCommand,
    store: new SettingsStore(path.join(dataDir, 'settings.json')),
    clientSecrets: keychainClientSecrets(keychain, service),
    accounts,
    calendarList: calendarListFor(keychain, dataDir, service),
    createCore: (config, account) => new Core(config, keychain, { accounts, ...(account ? { account } : {}) }),
    openExternal: (url) => shell.openExternal(url.href),
    notify,
    copyText: (text) => clipboard.writeText(text),
    readText: () => clipboard.readText(),
    shortcuts: globalShortcutRegistry(globalShortcut),
    setLaunchAtLogin: loginItemSetter({
      platform: process.platform,
      setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
      autostartDir: path.join(env.XDG_CONFIG_HOME?.trim() || path.join(os.homedir(), '.config'), 'autostart'),
      command: launchCommand,
    }),
  });

  const dispatch = (action: MenuAction): void => {
    switch (action.type) {
      case 'start':
        void controller.start(action.target, action.account);
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
      case 'copy':
        void controller.copy(action.what, action.target, action.account);
        return;
      case 'join-clipboard':
        void controller.joinFromClipboard();
        return;
      case 'join':
        void controller.joinLink(action.url);
        return;
      case 'copy-link':
        void controller.copyLink(action.url, action.topic);
        return;
      case 'settings':
        settingsWindow.show();
        return;
      case 'sign-out':
        void controller.signOut(action.account);
        return;
      case 'quit':
        app.quit();
        return;
      case 'check-for-updates':
        updates.checkNow();
        return;
      case 'restart-to-update':
        updates.restartToUpdate();
        return;
    }
  };

  const icons = loadTrayIcons((file) => nativeImage.createFromPath(file), path.join(__dirname, '..', 'assets', 'tray'), process.platform);
  const tray = new Tray(icons['signed-out']);
  // Windows opens tray menus on right-click only; a left click should show it too.
  if (process.platform === 'win32') tray.on('click', () => tray.popUpContextMenu());
  const trayView = new TrayView(tray, (template) => Menu.buildFromTemplate(template), icons, dispatch, () => controller.menuOpened(), process.platform === 'darwin');

  let endpoint: EndpointServer | undefined;
  /** Timers, the keychain process, the updater and the CLI's endpoint: what keeps running until the app lets go. */
  const release = (): void => {
    void endpoint?.close();
    updates.dispose();
    controller.dispose();
    keychain.close();
  };
  const updates = new Updates({
    updater: electronUpdater,
    facts: installFacts(app),
    currentVersion: app.getVersion(),
    log: (level, line) => log[level](line),
    notify,
    // A tray app keeps itself alive; quitAndInstall only works once nothing does (see updater.ts).
    prepareToQuit: () => {
      stopRendering();
      release();
      tray.destroy();
      for (const win of BrowserWindow.getAllWindows()) win.destroy();
      app.releaseSingleInstanceLock();
    },
    quit: () => app.quit(),
  });
  const renderTray = (): void => trayView.render(controller.state, updates.menuItems());
  // The window hears only of changes it shows: the state also moves each minute (the countdown).
  let sentView = '';
  const unsubscribe = [
    controller.onChange(() => {
      renderTray();
      const view = controller.preferences.view();
      const text = JSON.stringify(view);
      if (text === sentView) return;
      sentView = text;
      settingsWindow.send(VIEW_CHANGED, view);
    }),
    updates.onChange(renderTray),
  ];
  // A destroyed tray throws on every call: nothing may render once it is gone.
  const stopRendering = (): void => unsubscribe.forEach((off) => off());
  renderTray();

  handleIpc(
    ipcMain,
    {
      'settings:get': async () => controller.preferences.view(),
      'settings:save': (input) => controller.preferences.save(input),
      'auth:sign-in': async (request) => {
        void controller.signIn(signInRequest(request));
        return null;
      },
      'auth:sign-out': async (request) => {
        await controller.signOut(signOutRequest(request));
        return null;
      },
      'accounts:make-default': async (request) => {
        await controller.roster.makeDefault(accountRequest('accounts:make-default', request));
        return null;
      },
      'calendars:add': (request) => controller.calendars.addFromWindow(calendarAddRequest(request), () => controller.preferences.view()),
      'calendars:remove': async (request) => {
        await controller.calendars.remove(calendarRemoveRequest(request)).catch((err: unknown) => log.warn('removing a calendar failed', err));
        return null;
      },
    },
    (event) => settingsWindow.isTrusted(event.sender, event.senderFrame?.url),
  );

  // zoom-tray 0.1's keychain entries move over before anything reads the keychain; the tray already
  // shows "Starting…" meanwhile.
  const migrated = migrateFromKeytar(keychain, service, dataDir).then(
    () => true,
    (err: unknown) => {
      log.warn('moving keychain entries from keytar failed; will try again', err);
      return false;
    },
  );
  const initialized = migrated.then(() => controller.init());

  // A second launch: `--start …` starts that meeting from this instance's caches; a plain launch opens
  // Settings. One that arrives while this instance is still starting waits for it.
  const handOff = (argv: readonly string[], additionalData: unknown): void => {
    void initialized.then(() => {
      try {
        const request = handOffTarget(argv, additionalData);
        if (!request) settingsWindow.show();
        else if ('start' in request) void controller.start(request.start);
        else void controller.join(request.join);
      } catch (err) {
        controller.report(err);
      }
    });
  };
  // macOS hands links to the running app as an event (open-url), not as a second launch.
  onLink = (url) => handOff([], { link: url } satisfies HandOff);
  for (const url of pendingLinks.splice(0)) onLink(url);
  // Launchers (Raycast, Alfred, Stream Deck, a desktop shortcut) call zoom-tray:// links. A run from
  // source must not claim the scheme for a checkout's Electron.
  if (app.isPackaged && !app.isDefaultProtocolClient(URL_SCHEME)) app.setAsDefaultProtocolClient(URL_SCHEME);
  app.on('second-instance', (_event, argv, _cwd, additionalData) => handOff(argv, additionalData));
  // macOS: opening the app again from Finder or Spotlight does not start a second instance.
  app.on('activate', () => settingsWindow.show());
  powerMonitor.on('resume', () => {
    void controller.wake();
    updates.onResume();
  });
  app.on('will-quit', release);

  // The CLI asks the running tray first (see main/endpoint/): answered from the warm accounts.
  let ready = false;
  endpoint = await listenEndpoint(endpointFor(dataDir, env, process.platform), (request) =>
    answerRequest(request, {
      config: configDigest(env),
      ready: () => ready,
      accounts,
      slots: async () => {
        await controller.roster.current();
        return controller.roster.slots;
      },
      calendars: controller.calendars,
      now: () => controller.clock.now(),
    }),
  );
  await initialized;
  // Entries of zoom-tray 0.1 not moved over yet would be missing from its answers: the CLI, which
  // moves them first, answers itself until a tray starts after the move.
  ready = await migrated;
  updates.start();
  if (controller.state.auth === 'needs-setup') settingsWindow.show();
  if (startArgument(process.argv) !== undefined || linkArgument(process.argv) !== undefined) handOff(process.argv, undefined);
}

// macOS: a link that launched the app arrives before main() is ready for it, so the listener goes in
// at will-finish-launching (as Electron's docs ask) and keeps the first few links until then.
const pendingLinks: string[] = [];
let onLink: ((url: string) => void) | undefined;
app.on('will-finish-launching', () => {
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (onLink) onLink(url);
    else if (pendingLinks.length < 8) pendingLinks.push(url);
  });
});

const start = startArgument(process.argv);
const link = linkArgument(process.argv);
const handOffData: HandOff = { ...(start === undefined ? {} : { start }), ...(link === undefined ? {} : { link }) };
if (app.requestSingleInstanceLock(handOffData as Record<string, unknown>)) {
  main().catch((err: unknown) => {
    log.error('zoom-tray failed to start', err);
    console.error(`zoom-tray failed to start: ${describeError(err)}`);
    app.exit(isZoomTrayError(err) ? err.exitCode : 1);
  });
} else {
  // Another zoom-tray is running: it acts on our behalf (starts the meeting, or opens Settings).
  app.quit();
}
