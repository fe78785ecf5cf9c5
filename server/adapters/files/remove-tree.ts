import { chmod, lstat, readdir, rm } from "node:fs/promises";
import path from "node:path";

/** Makes every directory under `dir` writable again (a package manager may leave them read-only). */
async function makeWritable(dir: string): Promise<void> {
  const info = await lstat(dir).catch(() => null);
  if (info === null || !info.isDirectory()) return;
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await makeWritable(path.join(dir, entry.name));
  }
}

/**
 * Removes a directory tree that sandboxed commands wrote: symbolic links are removed, never
 * followed, and directories left read-only (Go's module cache, a test's fixture) are made
 * writable and the removal tried once more.
 */
export async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } catch {
    await makeWritable(dir);
    await rm(dir, { recursive: true, force: true });
  }
}
