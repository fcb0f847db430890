/** Messages between a test and the Electron host process. */

export interface MenuItemSnapshot {
  readonly type: 'separator' | 'normal';
  readonly label: string;
  readonly enabled: boolean;
  readonly accelerator?: string;
  readonly submenu?: readonly MenuItemSnapshot[];
}

export type HostCommand =
  | { readonly op: 'menu' }
  /**
   * `after`: the first such item below the item labelled so (another account's heading);
   * `within`: in the submenu of the first item labelled so (below `after`).
   */
  | { readonly op: 'click'; readonly label: string; readonly after?: string; readonly within?: string }
  | { readonly op: 'shortcut'; readonly accelerator: string }
  | { readonly op: 'snapshot' }
  | { readonly op: 'ipc'; readonly channel: string; readonly payload: unknown; readonly trusted: boolean }
  | { readonly op: 'close-window' }
  | { readonly op: 'resume' }
  | { readonly op: 'open-menu' }
  /** What another app copied. */
  | { readonly op: 'set-clipboard'; readonly text: string }
  /** Clicks the `index`-th notification shown (the last when negative). */
  | { readonly op: 'click-notification'; readonly index: number }
  | { readonly op: 'quit' }
  /** Wall time jumps forward to `at` (epoch ms), as over a sleep: see TimeWarp.jumpTo. Answers how many timers fired. */
  | { readonly op: 'jump-to'; readonly at: number }
  /** Awake until `at` (epoch ms): each timer at its own time, what it started done before time moves on (TimeWarp.runTo). */
  | { readonly op: 'run-to'; readonly at: number }
  /** Asleep until `at`: overdue timers fire at once on waking (TimeWarp.sleepTo); `resume` is separate. */
  | { readonly op: 'sleep-to'; readonly at: number }
  /** Answers once nothing is in flight: no HTTP request, keychain call or file operation. */
  | { readonly op: 'settle' }
  /** Kills the keychain helper as a crash would: now, or just after it is sent its next write. */
  | { readonly op: 'kill-keychain'; readonly when: 'now' | 'next-write' }
  /** Memory after a full GC, what is scheduled and open, and the notifications from `since` on with their times. */
  | { readonly op: 'probe'; readonly since: number };

/** The host's own figures (the 'probe' op). */
export interface HostProbe {
  readonly at: number;
  readonly rss: number;
  readonly heapUsed: number;
  /** The app's timers: set, and neither fired nor cleared. */
  readonly timers: number;
  /** Open handles other than timers (sockets, pipes, child processes), by kind. */
  readonly handles: Readonly<Record<string, number>>;
  readonly notifications: readonly { title: string; body: string; at: number }[];
}

/** Sent by the host unasked while it moves time: the app's clock, for a simulator to follow. */
export interface HostClock {
  readonly clock: number;
}

export type HostReply = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly error: string };

export interface HostSnapshot {
  readonly tray: { readonly image: string; readonly tooltip: string };
  readonly opened: readonly string[];
  readonly notifications: readonly { title: string; body: string }[];
  readonly clipboard: string;
  readonly shortcuts: readonly string[];
  readonly secondInstances: number;
  /** Files the app asked Electron for that do not exist (icons, pages, preload, utility scripts). */
  readonly missingFiles: readonly string[];
  readonly utilityProcesses: number;
  /** How many times the app handed the tray a new menu. */
  readonly menusSet: number;
  readonly window?: {
    readonly visible: boolean;
    readonly page: string;
    readonly webPreferences: Record<string, unknown>;
    readonly deniesNewWindows: boolean;
    readonly deniesPermissions: boolean;
    readonly pushes: number;
  };
}
