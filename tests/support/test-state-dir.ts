import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../.artifacts");

function isUnderTemp(dir: string): boolean {
  return [os.tmpdir(), "/tmp"].some((tmp) => {
    const relative = path.relative(path.resolve(tmp), dir);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
  });
}

/**
 * Where tests keep state that holds a CODEX_HOME: tests/.artifacts (git-ignored), unless
 * the checkout itself lies under the temporary folder — Codex misbehaves there and the
 * server refuses such a CODEX_HOME — in which case a folder under the home directory.
 * `PATCHBOARD_TEST_DIR` overrides both.
 */
export const TEST_STATE_DIR =
  process.env.PATCHBOARD_TEST_DIR ??
  (isUnderTemp(REPO_ARTIFACTS)
    ? path.join(os.homedir(), ".cache", "patchboard-tests")
    : REPO_ARTIFACTS);
