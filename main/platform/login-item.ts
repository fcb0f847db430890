import { promises as fs } from 'node:fs';
import path from 'node:path';
import { makeDir } from '../lib/files';

export interface LoginItemOptions {
  readonly platform: NodeJS.Platform;
  /** Electron's app.setLoginItemSettings (macOS and Windows only). */
  readonly setLoginItemSettings: (settings: { openAtLogin: boolean }) => void;
  /** Folder of XDG autostart entries, e.g. ~/.config/autostart. */
  readonly autostartDir: string;
  /** The command that starts the app: the executable, plus the app folder when unpackaged. */
  readonly command: readonly string[];
}

/** Desktop Entry Specification quoting for Exec arguments. */
function quoteExecArg(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function desktopEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=zoom-tray',
    'Comment=Start your Zoom meetings from the tray',
    `Exec=${command.map(quoteExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Launch at login: Electron's login items on macOS/Windows; an XDG autostart entry on Linux. */
export function loginItemSetter(options: LoginItemOptions): (enabled: boolean) => Promise<void> {
  return async (enabled) => {
    if (options.platform !== 'linux') {
      options.setLoginItemSettings({ openAtLogin: enabled });
      return;
    }
    const file = path.join(options.autostartDir, 'zoom-tray.desktop');
    if (!enabled) {
      await fs.rm(file, { force: true });
      return;
    }
    await makeDir(options.autostartDir);
    await fs.writeFile(file, desktopEntry(options.command));
  };
}
