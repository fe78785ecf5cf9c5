import type { ConcurrencyLimiter, RateLimiter } from "../../domain/ports/request-limits.js";
import { SlidingWindow, type WindowOptions } from "./sliding-window.js";

/** Diffs one person may have computed per minute when the configuration does not say. */
export const DEFAULT_DIFFS_PER_MINUTE = 30;
/** Live event streams one person may hold open when the configuration does not say. */
export const DEFAULT_EVENT_STREAMS_PER_PERSON = 6;

/** The in-process {@link RateLimiter}: `perWindow` requests per person per `windowMs` (a minute). */
export function createMemoryRateLimiter(options: WindowOptions): RateLimiter {
  const window = new SlidingWindow(options);
  return {
    take(person) {
      const taken = window.take(person);
      return "retryAfterSeconds" in taken ? taken.retryAfterSeconds : null;
    },
  };
}

/** The in-process {@link ConcurrencyLimiter}: at most `perPerson` slots per lower-cased email. */
export function createMemoryConcurrencyLimiter(options: { perPerson: number }): ConcurrencyLimiter {
  const held = new Map<string, number>();
  return {
    acquire(person) {
      const who = person.trim().toLowerCase();
      const count = held.get(who) ?? 0;
      if (count >= options.perPerson) return null;
      held.set(who, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (held.get(who) ?? 1) - 1;
        if (left <= 0) held.delete(who);
        else held.set(who, left);
      };
    },
  };
}
