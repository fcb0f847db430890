import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import path from 'node:path';
import type { AppState } from '../app/state';
import type { UpdateMenuItem } from '../updates/update-policy';
import { type MenuAction, type MenuItemModel, menuModel, type TrayIconName, trayIcon } from './menu-model';

const TRAY_ICONS: readonly TrayIconName[] = ['signed-out', 'ready', 'busy', 'error'];

/** Loads the tray icons; macOS gets template images (the "Template" suffix makes them so). */
export function loadTrayIcons(
  createFromPath: (file: string) => NativeImage,
  dir: string,
  platform: NodeJS.Platform,
): Record<TrayIconName, NativeImage> {
  const suffix = platform === 'darwin' ? 'Template' : '';
  const entries = TRAY_ICONS.map((name) => [name, createFromPath(path.join(dir, `${name}${suffix}.png`))] as const);
  return Object.fromEntries(entries) as Record<TrayIconName, NativeImage>;
}

/** Renders state onto the Electron Tray: icon, tooltip and the context menu from the menu model. */
export class TrayView {
  constructor(
    private readonly tray: Tray,
    private readonly buildMenu: (template: MenuItemConstructorOptions[]) => Menu,
    private readonly icons: Record<TrayIconName, NativeImage>,
    private readonly onAction: (action: MenuAction) => void,
  ) {}

  render(state: AppState, updates: readonly UpdateMenuItem[]): void {
    const { icon, tooltip } = trayIcon(state);
    this.tray.setImage(this.icons[icon]);
    this.tray.setToolTip(tooltip);
    this.tray.setContextMenu(this.buildMenu(menuModel(state, { now: new Date(), updates }).map((item) => this.toElectron(item))));
  }

  private toElectron(item: MenuItemModel): MenuItemConstructorOptions {
    if (item.type === 'separator') return { type: 'separator' };
    const { action } = item;
    if (!action) return { label: item.label ?? '', enabled: false };
    return {
      label: item.label ?? '',
      click: () => this.onAction(action),
      // Shown only: the global shortcut registers the key, not the menu.
      ...(item.accelerator ? { accelerator: item.accelerator, registerAccelerator: false } : {}),
    };
  }
}
