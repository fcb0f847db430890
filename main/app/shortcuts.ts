import type { Settings } from '../shared/settings-schema';
import type { AppState } from './state';

export interface ShortcutRegistry {
  /** False when the OS or another app holds the accelerator. */
  register(accelerator: string, onPress: () => void): boolean;
  unregisterAll(): void;
}

type ShortcutState = AppState['shortcut'];

function same(a: ShortcutState | undefined, b: ShortcutState | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.accelerator === b.accelerator && a.active === b.active && a.problem === b.problem);
}

/**
 * Registers the shortcut that starts the default meeting and the optional one that joins from the
 * clipboard; returns what the state shows of them, the current objects kept when unchanged so a
 * save that changes neither shortcut redraws nothing.
 */
export function registerShortcuts(
  registry: ShortcutRegistry,
  settings: Settings,
  presses: { readonly start: () => void; readonly join: () => void },
  current: Pick<AppState, 'shortcut' | 'joinShortcut'>,
): { shortcut: ShortcutState; joinShortcut: ShortcutState | undefined } {
  registry.unregisterAll();
  const register = (accelerator: string, onPress: () => void): ShortcutState => {
    if (!accelerator) return { accelerator, active: false };
    let active = false;
    try {
      active = registry.register(accelerator, onPress);
    } catch {
      active = false;
    }
    return active ? { accelerator, active } : { accelerator, active, problem: `${accelerator} is taken by another app or the system. Choose another shortcut in Settings.` };
  };
  const shortcut = register(settings.shortcut, presses.start);
  const join = settings.joinShortcut ? register(settings.joinShortcut, presses.join) : undefined;
  return {
    shortcut: same(shortcut, current.shortcut) ? current.shortcut : shortcut,
    joinShortcut: same(join, current.joinShortcut) ? current.joinShortcut : join,
  };
}
