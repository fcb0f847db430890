import type { GlobalShortcut } from 'electron';
import type { ShortcutRegistry } from '../app/shortcuts';

/** The global shortcut, through Electron's globalShortcut. */
export function globalShortcutRegistry(globalShortcut: GlobalShortcut): ShortcutRegistry {
  return {
    register: (accelerator, onPress) => globalShortcut.register(accelerator, onPress),
    unregisterAll: () => globalShortcut.unregisterAll(),
  };
}
