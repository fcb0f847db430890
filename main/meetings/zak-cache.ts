import type { Zak } from '../zoom/api-client';

export interface ZakCacheOptions {
  readonly fetch: (ttlSeconds: number) => Promise<Zak>;
  /** A ZAK kept from an earlier run (the keychain's start cache), asked once before the first fetch. */
  readonly load?: () => Promise<Zak | undefined>;
  /** Told each fetched ZAK, to keep it for later runs. */
  readonly save?: (zak: Zak) => Promise<void>;
  readonly ttlSeconds?: number;
  /** A ZAK this close to its end is not handed out: it may expire before Zoom's page checks it. */
  readonly marginSeconds?: number;
  readonly now?: () => number;
}

/**
 * Keeps the user's ZAK ready so a click needs no network wait. Fetches are single-flight;
 * `clear()` (sign-out, "sign me out from all devices") drops the cached key.
 */
export class ZakCache {
  readonly ttlSeconds: number;
  private readonly marginMs: number;
  private readonly now: () => number;
  private zak: Zak | undefined;
  private inflight: Promise<Zak> | undefined;
  private generation = 0;
  private loaded: Promise<Zak | undefined> | undefined;

  constructor(private readonly options: ZakCacheOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 7200;
    this.marginMs = (options.marginSeconds ?? 300) * 1000;
    this.now = options.now ?? Date.now;
  }

  /** The cached ZAK if still fresh, without any network call. */
  peek(): Zak | undefined {
    return this.zak && this.zak.expiresAt - this.marginMs > this.now() ? this.zak : undefined;
  }

  /** When the cached ZAK should be renewed (epoch ms), or undefined when there is none. */
  renewAt(): number | undefined {
    return this.zak ? this.zak.expiresAt - this.marginMs : undefined;
  }

  async get(): Promise<string> {
    return (await this.warm()).token;
  }

  /** A usable ZAK: the one held, else the one kept from an earlier run, else a new one from Zoom. */
  async warm(): Promise<Zak> {
    const held = this.peek();
    if (held) return held;
    if (this.options.load) {
      const generation = this.generation;
      this.loaded ??= this.options.load().catch(() => undefined);
      const kept = await this.loaded;
      // Cleared meanwhile (a sign-out): answer this caller, keep nothing.
      if (generation !== this.generation) return this.options.fetch(this.ttlSeconds);
      if (kept && !this.zak) this.zak = kept; // peek() turns it down if it is too old
    }
    return this.peek() ?? this.refresh();
  }

  refresh(): Promise<Zak> {
    if (!this.inflight) {
      const generation = this.generation;
      this.inflight = this.options
        .fetch(this.ttlSeconds)
        .then((zak) => {
          if (generation === this.generation) {
            this.zak = zak;
            void this.options.save?.(zak);
          }
          return zak;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  /** The ZAK held is no good (signed out, or killed at Zoom): neither it nor a kept copy is handed out again. */
  clear(): void {
    this.generation++;
    this.zak = undefined;
    this.inflight = undefined;
    this.loaded = Promise.resolve(undefined);
  }
}
