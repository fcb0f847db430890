import type { Zak } from '../zoom/api-client';

export interface ZakCacheOptions {
  readonly fetch: (ttlSeconds: number) => Promise<Zak>;
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
    return (this.peek() ?? (await this.refresh())).token;
  }

  refresh(): Promise<Zak> {
    if (!this.inflight) {
      const generation = this.generation;
      this.inflight = this.options
        .fetch(this.ttlSeconds)
        .then((zak) => {
          if (generation === this.generation) this.zak = zak;
          return zak;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  clear(): void {
    this.generation++;
    this.zak = undefined;
    this.inflight = undefined;
  }
}
