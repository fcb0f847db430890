import type { AppState } from './state';

export type StatePatch = { [K in keyof AppState]?: AppState[K] | undefined };

/** The tray's one state: patched in place of being rebuilt, and heard of only when something changed. */
export class StateStore {
  private current: AppState;
  private readonly listeners = new Set<(state: AppState) => void>();

  constructor(initial: AppState) {
    this.current = initial;
  }

  get state(): AppState {
    return this.current;
  }

  onChange(listener: (state: AppState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a patch (`undefined` removes a field); listeners (the tray, the settings window) hear only of real changes. */
  update(patch: StatePatch): void {
    const current = this.current as unknown as Record<string, unknown>;
    if (Object.entries(patch).every(([key, value]) => current[key] === value)) return;
    const next: Record<string, unknown> = { ...this.current };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    this.current = next as unknown as AppState;
    for (const listener of this.listeners) listener(this.current);
  }
}
