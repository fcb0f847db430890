/**
 * A wall clock the Electron host's test can move (test harness only, never production code). The
 * bundle reads time only through the globals (main/lib/clock.ts systemClock, `new Date()` in the tray
 * view), so patching them here lets a test do what a machine sleep does: wall time jumps ahead,
 * and every timer that fell due meanwhile fires at once, in due order. Between jumps time flows
 * and timers run as usual: they stay real Node timers, handed back as they are, so
 * .unref()/.ref()/.refresh() keep working.
 */
import timersPromises from 'node:timers/promises';
import { promisify } from 'node:util';

export interface TimeWarp {
  /**
   * Moves wall time forward to `at` (epoch ms) and fires, synchronously and in due order, each
   * timer due by then; resolves once what they returned has settled (a tick returns the starts it
   * made, a poll its request), so the test sees the outcome rather than racing it. A timer not yet
   * due keeps its real countdown, so it runs as late as the jump was long (as after a real suspend);
   * timers set by those fired count from `at`, so none is due yet. Returns how many fired.
   */
  jumpTo(at: number): Promise<number>;
  /**
   * Moves wall time to `at` as a machine that is awake would live it: each timer due on the way fires
   * at its own due time, in due order, and `settle` (the caller's test of "nothing in flight") is
   * awaited after each, so what a timer started is done before time moves on. `onStep` hears each
   * new time before the timers due then fire. Returns how many fired.
   */
  runTo(at: number, settle: () => Promise<void>, onStep?: (now: number) => void): Promise<number>;
  /** As a sleep: jumps to `at` and fires each overdue timer at once (as jumpTo), then awaits `settle` instead of their outcomes. */
  sleepTo(at: number, settle: () => Promise<void>): Promise<number>;
  /** Timers set and neither fired nor cleared: what the program has scheduled. */
  readonly pending: number;
}

interface Armed {
  readonly due: number;
  /** Ties fire in the order they were set, as Node's do. */
  readonly seq: number;
  readonly fire: () => unknown;
  readonly release: () => void;
}

/** `startAt` (epoch ms): the wall clock starts there instead of now, and runs on from it. */
export function installTimeWarp(startAt?: number): TimeWarp {
  const RealDate = Date;
  const realNow = Date.now;
  const realSetTimeout = setTimeout;
  const realClearTimeout = clearTimeout;
  let offset = startAt === undefined ? 0 : startAt - realNow();
  let seq = 0;
  const now = (): number => realNow() + offset;
  /** Timers neither fired nor cleared, by the real Timeout handed out. */
  const armed = new Map<NodeJS.Timeout, Armed>();

  // `Date.now` is replaced on the real constructor, so references taken to it (`options.now ?? Date.now`)
  // warp too; `new Date()` and `Date()` go through a proxy, so old and new dates share one prototype
  // and `instanceof Date` holds for all of them.
  RealDate.now = now;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new RealDate(now()).toString(),
  });

  function warpedSetTimeout(fn: (...args: unknown[]) => unknown, delay?: number, ...args: unknown[]): NodeJS.Timeout {
    if (typeof fn !== 'function') return realSetTimeout(fn, delay); // Node's own error
    // Node runs a delay outside 1..2^31-1 after 1 ms.
    const ms = Number(delay) >= 1 && Number(delay) <= 2 ** 31 - 1 ? Number(delay) : 1;
    // A timer a jump fired is not cleared but left to ring unheard at its real time: a cleared
    // Timeout can never be refresh()ed again, and undici re-arms its tick timer that way.
    const timeout = realSetTimeout(() => {
      if (armed.delete(timeout)) fn.apply(timeout, args);
    }, ms);
    const arm = (): void => void armed.set(timeout, { due: now() + ms, seq: seq++, fire: () => fn.apply(timeout, args), release });
    const refresh = timeout.refresh.bind(timeout);
    const internal = timeout as unknown as { _idleTimeout: number };
    // Fired by a jump and not re-armed: its real countdown rings in a millisecond, unheard, rather than
    // holding its closure for the whole real delay (a month of minute ticks would pile up).
    const release = (): void => {
      internal._idleTimeout = 1;
      refresh();
    };
    arm();
    timeout.refresh = () => {
      arm();
      internal._idleTimeout = ms;
      return refresh();
    };
    return timeout;
  }
  Object.assign(warpedSetTimeout, { [promisify.custom]: (realSetTimeout as unknown as Record<symbol, unknown>)[promisify.custom] });

  function warpedClearTimeout(timer: NodeJS.Timeout | string | number | undefined): void {
    if (typeof timer === 'object') armed.delete(timer);
    // By id (the Timeout's primitive value): rare, so a scan will do.
    else if (timer !== undefined) for (const t of armed.keys()) if (String(+t) === String(timer)) armed.delete(t);
    realClearTimeout(timer);
  }

  globalThis.setTimeout = warpedSetTimeout as unknown as typeof setTimeout;
  globalThis.clearTimeout = warpedClearTimeout as typeof clearTimeout;
  // The promise form too (a wait before retrying after Zoom's 429, the refresh lock's): read at call time.
  timersPromises.setTimeout = (<T>(ms?: number, value?: T, options: { signal?: AbortSignal; ref?: boolean } = {}) =>
    new Promise<T>((resolve, reject) => {
      const { signal } = options;
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        warpedClearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = warpedSetTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(value as T);
      }, ms);
      if (options.ref === false) timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
    })) as typeof timersPromises.setTimeout;

  /** Fires, in due order, each timer due by now; answers what they returned. */
  function fireDue(): unknown[] {
    const at = now();
    const due = [...armed].filter(([, a]) => a.due <= at).sort(([, a], [, b]) => a.due - b.due || a.seq - b.seq);
    const outcomes: unknown[] = [];
    for (const [timeout, entry] of due) {
      if (armed.get(timeout) !== entry) continue; // cleared (or re-armed) by a timer fired before it
      outcomes.push(fire(timeout, entry));
    }
    return outcomes;
  }

  function fire(timeout: NodeJS.Timeout, entry: Armed): unknown {
    armed.delete(timeout);
    try {
      return entry.fire();
    } catch (err) {
      // As a real timer's throw: uncaught, after this jump.
      process.nextTick(() => {
        throw err;
      });
      return undefined;
    } finally {
      if (!armed.has(timeout)) entry.release();
    }
  }

  function forwardTo(at: number): void {
    if (at < now()) throw new Error(`time-warp: ${new RealDate(at).toISOString()} is before ${new RealDate(now()).toISOString()}; a clock only jumps forward`);
    offset += at - now();
  }

  return {
    async jumpTo(at) {
      forwardTo(at);
      const outcomes = fireDue();
      await Promise.allSettled(outcomes);
      return outcomes.length;
    },
    async sleepTo(at, settle) {
      forwardTo(at);
      const fired = fireDue().length;
      await settle();
      return fired;
    },
    async runTo(at, settle, onStep) {
      let fired = 0;
      await settle();
      for (;;) {
        let next: [NodeJS.Timeout, Armed] | undefined;
        for (const item of armed) if (item[1].due <= at && (!next || item[1].due < next[1].due || (item[1].due === next[1].due && item[1].seq < next[1].seq))) next = item;
        if (!next) break;
        if (next[1].due > now()) {
          offset += next[1].due - now();
          onStep?.(now());
        }
        fire(...next);
        fired++;
        await settle();
      }
      if (at > now()) {
        offset += at - now();
        onStep?.(now());
      }
      return fired;
    },
    get pending() {
      return armed.size;
    },
  };
}
