import type { Notification, NotificationConstructorOptions } from 'electron';
import type { Note } from '../app/notifications';

/** Electron's Notification class, as far as zoom-tray uses it. */
export interface NotificationClass {
  new (options: NotificationConstructorOptions): Pick<Notification, 'on' | 'show'>;
  isSupported(): boolean;
}

/**
 * Notes as Electron notifications. Buttons (a reminder's Start and "Remind me in 1 minute") exist
 * on macOS and Windows, Electron's `button` actions; Linux notifications get the click alone, which
 * does what the first button does.
 */
export function notifier(NotificationImpl: NotificationClass, platform: NodeJS.Platform): (note: Note) => void {
  // Shown notifications are kept until they close: one collected earlier loses its click handler.
  const showing = new Set<Pick<Notification, 'on' | 'show'>>();
  return (note) => {
    if (!NotificationImpl.isSupported()) return;
    const actions = platform === 'darwin' || platform === 'win32' ? (note.actions ?? []) : [];
    const shown = new NotificationImpl({
      title: note.title,
      body: note.body,
      ...(actions.length ? { actions: actions.map((a) => ({ type: 'button' as const, text: a.label })) } : {}),
    });
    showing.add(shown);
    shown.on('close', () => showing.delete(shown));
    if (note.click) shown.on('click', () => void note.click?.());
    // The index comes in the event's details; the positional argument is deprecated.
    if (actions.length) shown.on('action', (details) => void actions[details.actionIndex]?.run());
    shown.show();
  };
}
