import { readFile, rename, writeFile } from "node:fs/promises";

/**
 * The sandbox's built-in services keep their state in memory; these helpers keep it in a
 * JSON file under DATA_DIR/sandbox as well, so what Patchboard did to them survives a
 * restart like the tasks in the database do.
 */

/** Reads a state file: null when there is none (first start, or after a reset). */
export async function readStateFile(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as unknown;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Writes a state file atomically: a crash mid-write leaves the previous file. */
export async function writeStateFile(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, file);
}

/** Options of {@link persistOnChange}. */
export interface PersistOptions<R> {
  /** The service's live request log. */
  requests: readonly R[];
  /** Whether a request changed the state. */
  changed: (request: R) => boolean;
  save: () => Promise<void>;
  onError: (error: unknown) => void;
  intervalMs?: number;
}

/**
 * Saves whenever a request that changed something arrived, checking every `intervalMs`
 * (saves never overlap); `stop()` saves one last time.
 */
export function persistOnChange<R>(options: PersistOptions<R>): { stop(): Promise<void> } {
  let seen = options.requests.length;
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    saving = saving.then(options.save).catch(options.onError);
    return saving;
  };
  const timer = setInterval(() => {
    const fresh = options.requests.slice(seen);
    seen = options.requests.length;
    if (fresh.some(options.changed)) void save();
  }, options.intervalMs ?? 1000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await save();
    },
  };
}
