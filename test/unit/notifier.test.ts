import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { NotificationConstructorOptions } from 'electron';
import { type NotificationClass, notifier } from '../../main/platform/notifier';

/** Electron's Notification as the OS drives it: the test clicks, presses buttons, closes. */
function fakeNotifications() {
  const shown: Array<EventEmitter & { options: NotificationConstructorOptions }> = [];
  class FakeNotification extends EventEmitter {
    static isSupported(): boolean {
      return true;
    }
    constructor(readonly options: NotificationConstructorOptions) {
      super();
    }
    show(): void {
      shown.push(this);
    }
  }
  return { shown, Notification: FakeNotification as unknown as NotificationClass };
}

const reminder = (ran: string[]) => ({
  title: 'Standup starts in 1 min',
  body: 'Click to start it as host.',
  click: async () => void ran.push('click'),
  actions: [
    { label: 'Start', run: () => void ran.push('start') },
    { label: 'Remind me in 1 minute', run: () => void ran.push('snooze') },
  ],
});

for (const platform of ['darwin', 'win32'] as const) {
  test(`${platform}: a reminder has Start and "Remind me in 1 minute" buttons, each doing its own thing`, () => {
    const { shown, Notification } = fakeNotifications();
    const ran: string[] = [];
    notifier(Notification, platform)(reminder(ran));
    assert.deepEqual(shown[0]?.options.actions, [
      { type: 'button', text: 'Start' },
      { type: 'button', text: 'Remind me in 1 minute' },
    ]);
    // Electron 45 passes { actionIndex } first; the positional index is deprecated.
    shown[0]?.emit('action', { actionIndex: 1 }, 0);
    shown[0]?.emit('action', { actionIndex: 0 }, 1);
    shown[0]?.emit('click', {});
    assert.deepEqual(ran, ['snooze', 'start', 'click']);
  });
}

test('linux: no buttons (Electron has none there); the click starts', () => {
  const { shown, Notification } = fakeNotifications();
  const ran: string[] = [];
  notifier(Notification, 'linux')(reminder(ran));
  assert.equal(shown[0]?.options.actions, undefined);
  assert.deepEqual({ title: shown[0]?.options.title, body: shown[0]?.options.body }, { title: 'Standup starts in 1 min', body: 'Click to start it as host.' });
  shown[0]?.emit('click', {});
  assert.deepEqual(ran, ['click']);
});
