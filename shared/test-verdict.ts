import { z } from "zod";

/**
 * The server's own verdict on a change's tests: it ran the repository's `testCommand`
 * itself (isolated, network off) and compared with the base branch's result. What the
 * agent said about the tests is never the verdict.
 */
export const TestVerdictSchema = z.object({
  /** Whether the change may open ready for review. */
  ready: z.boolean(),
  /**
   * `passed`: the suite passed. `no_new_failures`: tests fail, but all failed on the base
   * too and the tests the change touched pass. `failed`: anything else. `not_run`: no
   * test command is configured. `error`: the run timed out or could not start.
   */
  result: z.enum(["passed", "no_new_failures", "failed", "not_run", "error"]),
  /** Whether per-test results were read (a report), or only the exit code. */
  perTest: z.boolean(),
  exitCode: z.number().int().nullable(),
  /** Tests that passed on the base and fail now (or are new and fail). */
  newFailures: z.array(z.string()),
  /** Tests that failed on the base and pass now. */
  fixed: z.array(z.string()),
  /** Tests that failed on the base and still fail: not caused by the change. */
  stillFailing: z.array(z.string()),
  /** How many tests ran, and passed, when per-test results were read. */
  total: z.number().int().nonnegative().nullable(),
  passed: z.number().int().nonnegative().nullable(),
  /** The base's run, for comparison: its exit code, and whether it was taken from the cache. */
  base: z
    .object({ exitCode: z.number().int().nullable(), failing: z.number().int().nonnegative() })
    .nullable(),
  durationMs: z.number().int().nonnegative(),
  /** The last part of the run's output. */
  outputTail: z.string(),
  command: z.string().nullable(),
});
/** The server's verdict on a change's tests. */
export type TestVerdict = z.infer<typeof TestVerdictSchema>;
