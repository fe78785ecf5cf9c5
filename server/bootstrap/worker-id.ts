import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** The file in DATA_DIR that holds this worker's name. */
export const WORKER_ID_FILE = "worker-id";

/**
 * This process's worker name, made once and kept in its DATA_DIR: the same after a
 * restart, so the worker takes its own interrupted tasks back at once instead of
 * waiting for their leases to expire (each process has its own DATA_DIR, so no other
 * live process has this name).
 */
export function loadWorkerId(dataDir: string): string {
  const file = path.join(dataDir, WORKER_ID_FILE);
  try {
    const stored = readFileSync(file, "utf8").trim();
    if (stored !== "") return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const id = `${os.hostname()}-${randomBytes(6).toString("hex")}`;
  writeFileSync(file, `${id}\n`, { flag: "w" });
  return id;
}
