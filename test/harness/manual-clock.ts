import type { Clock, Timer } from '../../main/lib/clock';

interface Scheduled extends Timer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => unknown;
}

/** A clock that moves only when told: each timer due on the way runs in order, and what it starts is awaited. */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new Set<Scheduled>();

  constructor(start = Date.now()) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => unknown, ms: number): Timer {
    const timer: Scheduled = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.add(timer);
    return timer;
  }

  clearTimeout(timer: Timer | undefined): void {
    if (timer) this.timers.delete(timer as Scheduled);
  }

  /** Timers waiting to run. */
  get pending(): number {
    return this.timers.size;
  }

  /** The machine slept: time moves on, and timers that fell due wait for the next advance. */
  jump(ms: number): void {
    this.time += ms;
  }

  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      let next: Scheduled | undefined;
      for (const t of this.timers) if (t.at <= end && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      if (!next) break;
      this.timers.delete(next);
      // A timer that fell due while the machine slept (jump) runs late, at the time it is now.
      this.time = Math.max(this.time, next.at);
      await next.fn();
    }
    this.time = end;
  }
}
