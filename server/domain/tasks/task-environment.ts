import { prepareEnvironment } from "../environment/prepare-environment.js";
import { ensureBaseline } from "../verdict/base-results.js";
import { recordEvent } from "./record-event.js";
import type { RunContext } from "./run-context.js";

/** AGENTS.md is quoted on the Task page up to this size. */
const MAX_AGENTS_MD_BYTES = 64 * 1024;

/**
 * Prepares the task's environment before the agent's first turn: says what the agent
 * will be told besides the ticket (AGENTS.md and the repository's instructions), runs
 * setup (or maintenance, or nothing when the worktree is already prepared), and — in a
 * worktree that holds exactly the base commit — makes sure the base's test result is
 * known, so the server's verdict after the agent can compare with it.
 *
 * @throws AppError `setup_failed` when setup fails.
 */
export async function prepareTaskEnvironment(ctx: RunContext): Promise<void> {
  const { deps, repo, workspace, task } = ctx;
  const env = deps.environment;
  if (env === undefined) return;
  const record = recordEvent.bind(null, deps, task.id);
  const recordContext = async (): Promise<void> => {
    if (ctx.request.action !== "create") return;
    const agentsMd = await env.environments.readFile(
      workspace.path,
      "AGENTS.md",
      MAX_AGENTS_MD_BYTES,
    );
    await record({
      type: "task.context",
      payload: { agentsMd, instructions: repo.instructions ?? null },
    });
  };
  // Side by side: git's walk of the worktree, the event's write and the environment's
  // own reads; a reused environment waits for the walk only to compare with the base.
  const pristine =
    ctx.request.action === "create" && task.threadId === null
      ? isPristine(ctx)
      : Promise.resolve(false);
  // Settled (and awaited below) whatever happens first: never an unhandled rejection.
  pristine.catch(() => undefined);
  const context = recordContext();
  // The environment's events follow the context's, as they always did on the Task page.
  const recordAfterContext = async (event: Parameters<typeof record>[0]) => {
    await context;
    await record(event);
  };
  const [, prepared] = await Promise.all([
    context,
    prepareEnvironment(env, {
      repo,
      workdir: workspace.path,
      baseSha: workspace.baseSha,
      owner: task.id,
      pristine,
      signal: ctx.signal,
      onOutput: (source, text) =>
        recordAfterContext({ type: "task.output", payload: { source, text } }),
      onLog: (message) =>
        recordAfterContext({ type: "task.log", payload: { level: "info", message } }),
    }),
  ]);
  if (!(await pristine) || repo.testCommand === null) return;
  const base = await ensureBaseline(env, {
    repo,
    workdir: workspace.path,
    baseSha: workspace.baseSha,
    fingerprint: prepared.fingerprint,
    dirs: prepared.dirs,
    signal: ctx.signal,
    onOutput: async (text) => {
      await record({ type: "task.output", payload: { source: "base_tests", text } });
    },
  });
  if (base !== null && !base.cached) {
    await record({
      type: "task.log",
      payload: {
        level: "info",
        message: `Ran the tests on the base branch for comparison (exit code ${base.baseline.exitCode ?? "none"})`,
      },
    });
  }
}

/** Whether the worktree holds exactly its base commit: nothing of an earlier run in it. */
async function isPristine(ctx: RunContext): Promise<boolean> {
  const environments = ctx.deps.environment?.environments;
  if (environments === undefined) return false;
  const status = await environments.status(ctx.workspace.path);
  return (
    status.head === ctx.workspace.baseSha &&
    status.tracked.length === 0 &&
    status.untracked.length === 0
  );
}
