import { AppError } from "../../domain/app-error.js";
import type { RunGate, RunPermit } from "../../domain/ports/run-gate.js";
import { KeyedLock } from "../git/keyed-lock.js";
import type { Database } from "./database.js";

/** A row of `run_gate_windows` (migration 0010). */
interface RunGateWindowsTable {
  person: string;
  window_index: number;
  runs: number;
}

/** Options of {@link createDatabaseRunGate}. */
export interface DatabaseRunGateOptions {
  /** Runs one person may start in a window. */
  perWindow: number;
  /** Window length in ms; a minute by default. */
  windowMs?: number;
  now?: () => number;
}

/**
 * The {@link RunGate} of many nodes on one database: each person's runs per fixed window
 * are a row, taken by one atomic upsert that adds a run only while the row is under the
 * limit, so two nodes can never both take the last one. (A fixed window lets a person
 * start up to twice the limit across a window's edge; the in-process gate slides.)
 * `serialize` stays per process: across nodes, the one-active-task-per-ticket index
 * already turns a second concurrent click into the first click's task.
 */
export function createDatabaseRunGate(db: Database, options: DatabaseRunGateOptions): RunGate {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const kysely = db.kysely.withTables<{ run_gate_windows: RunGateWindowsTable }>();
  const lock = new KeyedLock();
  return {
    serialize: (key, work) => lock.run(key, work),
    async take(person): Promise<RunPermit> {
      const who = person.trim().toLowerCase();
      const at = now();
      const window = Math.floor(at / windowMs);
      const taken = await kysely
        .insertInto("run_gate_windows")
        .values({ person: who, window_index: window, runs: 1 })
        .onConflict((conflict) =>
          conflict
            .columns(["person", "window_index"])
            .doUpdateSet((eb) => ({ runs: eb("run_gate_windows.runs", "+", 1) }))
            .where("run_gate_windows.runs", "<", options.perWindow),
        )
        .returning("runs")
        .executeTakeFirst();
      // Old windows are never read again; each person's own are swept as they go.
      await kysely
        .deleteFrom("run_gate_windows")
        .where("person", "=", who)
        .where("window_index", "<", window)
        .execute();
      if (taken === undefined) {
        throw new AppError(
          "rate_limited",
          `You have started ${options.perWindow} tasks in the last minute; wait a minute and try again`,
          {
            details: {
              retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * windowMs - at) / 1000)),
            },
          },
        );
      }
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          void kysely
            .updateTable("run_gate_windows")
            .set((eb) => ({ runs: eb("runs", "-", 1) }))
            .where("person", "=", who)
            .where("window_index", "=", window)
            .where("runs", ">", 0)
            .execute()
            .catch(() => undefined);
        },
      };
    },
  };
}
