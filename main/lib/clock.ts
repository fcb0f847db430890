/** A scheduled call; opaque to callers. */
export interface Timer {
  readonly unref?: () => unknown;
}

/**
 * Time and timers behind one seam: the tray's schedule (meeting polls, ZAK renewal) and every
 * expiry decision read it, so tests and the benchmark run hours of it on a clock they advance.
 */
export interface Clock {
  now(): number;
  /** `fn` may return a promise; a manual clock awaits it, so what a timer starts settles before time moves on. */
  setTimeout(fn: () => unknown, ms: number): Timer;
  clearTimeout(timer: Timer | undefined): void;
}

/** The real clock. Its timers never keep a process alive: the tray's Electron loop or the CLI's command does. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout | undefined),
};

/** How long from `now` (epoch ms) until the next whole minute. */
export function untilNextMinute(now: number): number {
  return 60_000 - (now % 60_000);
}
