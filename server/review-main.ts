import "dotenv/config";
import { buildServices } from "./bootstrap/build-services.js";
import { warmCodexHome } from "./bootstrap/codex-warmup.js";
import { createStartupLogger, loadStartupConfig } from "./bootstrap/load-startup.js";

/**
 * Exit codes of `npm run review`, for an external scheduler or a CI job: 0 all reviewed
 * and posted; 2 the run completed with problems (a pull request, Slack or a comment
 * failed); 3 skipped because another run (the server's or another job's) is in progress;
 * 1 the run failed or could not start.
 */
export const REVIEW_EXIT = { ok: 0, failed: 1, partial: 2, skipped: 3 } as const;

/**
 * `npm run review`: one pass of the nightly pull request review, then exit. It shares the
 * server's database, so the run shows on the dashboard and its lock keeps it from
 * overlapping a run of the server's own schedule.
 */
async function main(): Promise<number> {
  const loaded = loadStartupConfig(process.env);
  if (loaded === null) return REVIEW_EXIT.failed;
  if (loaded.mode !== "production") {
    console.error(
      "npm run review needs the production settings (Codex, Jira, GitHub and REPOS_FILE); it does not start the sandbox's built-in services.",
    );
    return REVIEW_EXIT.failed;
  }
  const logger = createStartupLogger(loaded.config);
  const services = await buildServices(loaded.config, logger);
  const stop = () => {
    logger.info({}, "review interrupted, stopping");
    void services.reviews.stop();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await warmCodexHome(loaded.config.codexHome, logger);
    const run = await services.reviews.runNow("cli");
    if (run === null) return REVIEW_EXIT.skipped;
    if (run.status === "failed") return REVIEW_EXIT.failed;
    return run.failedCount > 0 || run.errors.length > 0 ? REVIEW_EXIT.partial : REVIEW_EXIT.ok;
  } finally {
    await services.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("The review failed:", error instanceof Error ? error.message : error);
    process.exit(REVIEW_EXIT.failed);
  },
);
