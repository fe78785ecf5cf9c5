import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root directory. */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
/**
 * Generated inputs kept between runs (the 20,000-file repository, the seeded database,
 * the web build) and every run's data directories: under `data/`, the default DATA_DIR,
 * which git, eslint and prettier already ignore. Not under /tmp: CODEX_HOME lives here.
 */
export const CACHE_DIR = path.join(REPO_ROOT, "data", "bench");
/** Where each run's JSON goes (git-ignored). */
export const RESULTS_DIR = path.join(REPO_ROOT, "bench", "results");
