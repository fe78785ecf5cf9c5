/** How many starts a window admits per key, and how long it is. */
export interface WindowOptions {
  /** Starts one key may make in a window. */
  perWindow: number;
  /** Window length in ms; a minute by default. */
  windowMs?: number;
  now?: () => number;
}

/**
 * Start times per key (a person's lower-cased email, so `Pat@` and `pat@` share one
 * budget) within a sliding window. Keys whose window emptied are dropped on their next
 * use, so the map holds only people active within a window.
 */
export class SlidingWindow {
  readonly #starts = new Map<string, number[]>();
  readonly #perWindow: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: WindowOptions) {
    this.#perWindow = options.perWindow;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Takes one slot of `key`'s window: its release (which gives the slot back, once), or
   * the whole seconds until the oldest slot leaves the window when none is free.
   */
  take(key: string): { release: () => void } | { retryAfterSeconds: number } {
    const who = key.trim().toLowerCase();
    const at = this.#now();
    const recent = (this.#starts.get(who) ?? []).filter((t) => t > at - this.#windowMs);
    if (recent.length >= this.#perWindow) {
      this.#starts.set(who, recent);
      const oldest = recent[0] ?? at;
      return { retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.#windowMs - at) / 1000)) };
    }
    recent.push(at);
    this.#starts.set(who, recent);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const list = this.#starts.get(who);
        const index = list?.indexOf(at) ?? -1;
        if (list && index >= 0) list.splice(index, 1);
      },
    };
  }
}
