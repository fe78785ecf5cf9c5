import { AppError } from "../../domain/app-error.js";
import type { RunGate, RunPermit } from "../../domain/ports/run-gate.js";
import { KeyedLock } from "../git/keyed-lock.js";
import { SlidingWindow, type WindowOptions } from "./sliding-window.js";

/** Runs one person may start per minute when the configuration does not say. */
export const DEFAULT_RUNS_PER_MINUTE = 10;

/** Options of {@link createMemoryRunGate}: runs per person per window. */
export type MemoryRunGateOptions = WindowOptions;

/**
 * The in-process {@link RunGate}: a sliding window of start times per person (lower-cased
 * email, so `Pat@` and `pat@` share one budget) and a per-key lock. One server process
 * runs the tasks (the runner is in-process too), so in-process state is the whole truth.
 */
export function createMemoryRunGate(options: MemoryRunGateOptions): RunGate {
  const window = new SlidingWindow(options);
  const lock = new KeyedLock();
  return {
    serialize: (key, work) => lock.run(key, work),
    take(person): Promise<RunPermit> {
      const taken = window.take(person);
      if ("retryAfterSeconds" in taken) {
        return Promise.reject(
          new AppError(
            "rate_limited",
            `You have started ${options.perWindow} tasks in the last minute; wait a minute and try again`,
            { details: { retryAfterSeconds: taken.retryAfterSeconds } },
          ),
        );
      }
      return Promise.resolve(taken);
    },
  };
}
