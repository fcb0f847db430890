import type { Menu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import path from 'node:path';
import type { AppState } from '../app/state';
import type { UpdateMenuItem } from '../updates/update-policy';
import { countdown } from './countdown';
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

/**
 * Renders state onto the Electron Tray: icon, tooltip and the context menu from the menu model.
 * Only what changed is handed to Electron: rebuilding a native menu is the costliest thing a click
 * or a poll does, and most state changes leave the menu as it was.
 */
export class TrayView {
  private shown: { icon?: TrayIconName; tooltip?: string; title?: string; menu?: string } = {};

  constructor(
    private readonly tray: Tray,
    private readonly buildMenu: (template: MenuItemConstructorOptions[]) => Menu,
    private readonly icons: Record<TrayIconName, NativeImage>,
    private readonly onAction: (action: MenuAction) => void,
    /** The menu is opening (macOS and Windows say so; Linux trays may not). */
    private readonly onMenuOpen: () => void,
    /** macOS shows text beside a menu-bar icon: the countdown goes there too. */
    private readonly menuBarTitle: boolean,
  ) {}

  render(state: AppState, updates: readonly UpdateMenuItem[], now: Date = new Date()): void {
    const { icon, tooltip } = trayIcon(state, now);
    if (icon !== this.shown.icon) this.tray.setImage(this.icons[icon]);
    if (tooltip !== this.shown.tooltip) this.tray.setToolTip(tooltip);
    const title = this.menuBarTitle && state.auth === 'signed-in' ? (countdown(state, now) ?? '') : '';
    if (this.menuBarTitle && title !== (this.shown.title ?? '')) this.tray.setTitle(title);
    const model = menuModel(state, { now, updates });
    const menu = JSON.stringify(model);
    if (menu !== this.shown.menu) {
      const built = this.buildMenu(model.map((item) => this.toElectron(item)));
      built.on('menu-will-show', this.onMenuOpen);
      this.tray.setContextMenu(built);
    }
    this.shown = { icon, tooltip, title, menu };
  }

  private toElectron(item: MenuItemModel): MenuItemConstructorOptions {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.submenu) return { label: item.label ?? '', submenu: item.submenu.map((sub) => this.toElectron(sub)) };
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
