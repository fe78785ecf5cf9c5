import type { Analysis } from "../../../shared/analysis.js";
import type { PlanStep } from "../scripted-model/types.js";
import type {
  Script,
  ScriptContext,
  ScriptTurn,
  Step,
  StepSpec,
  ToolOutput,
} from "../scripted-model/index.js";

/**
 * Builds the scripted model's scripts for the sample tickets from short scenario
 * definitions, so each ticket's file says only what is particular to its bug: what the
 * agent reads, what it concludes, the patch and the summaries. The turn structure
 * follows the prompts in `server/domain/tasks/prompts.ts`.
 */

/** The sample repository's test command, as configured for the sandbox's repository. */
export const SAMPLE_TEST_COMMAND = "npm test";

/** Prompt texts that tell the turns apart (see `prompts.ts`). */
export const TURN_PATTERNS = {
  analyze: /Step 1 of 2/,
  fix: /Step 2 of 2/,
  // A person's follow-up, or an automatic one after failed checks or a review on GitHub.
  followUp:
    /Follow-up from |The checks on your pull request failed|asked for changes on your pull request/,
  resume: /previous attempt at this task stopped/,
} as const;

/** One command the agent runs while investigating, with what it "thinks" first. */
export interface Investigation {
  reasoning: string;
  command: string;
}

/** A patch with the reasoning shown before it and the summaries for either test verdict. */
export interface ScenarioPatch {
  reasoning: string;
  /** Codex's apply_patch format (`*** Begin Patch` …). */
  patch: string;
  /** The final message when the ticket's tests pass afterwards. */
  passed: string;
  /** The final message when they still fail (default: a generic one naming the failures). */
  failed?: (failures: string[]) => string;
}

/** What is particular to one sample ticket. */
export interface Scenario {
  ticketKey: string;
  /** The test file that covers the bug (run alone, since the other bugs fail the suite). */
  testFile: string;
  investigate: Investigation[];
  /** Reasoning shown before the test run that confirms the bug. */
  confirmReasoning: string;
  /** Reasoning shown with the structured answer. */
  concludeReasoning: string;
  analysis: Analysis;
  /** The fix turn; absent for a ticket that is not fixable in code. */
  fix?: ScenarioPatch;
  /** A follow-up that completes an incomplete fix; absent means the generic follow-up. */
  followUp?: ScenarioPatch;
}

/** How fast the scripted agent works. */
export interface Pacing {
  /** Pause before each step, so a person can follow the stream. 0 in tests. */
  stepDelayMs: number;
}

/** The test command that runs one file, e.g. `npm test -- test/cart.test.js`. */
export function testRun(testFile: string | null): string {
  return testFile === null ? SAMPLE_TEST_COMMAND : `${SAMPLE_TEST_COMMAND} -- ${testFile}`;
}

function clean(output: string): string {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes, should a PTY add them.
  return output.replace(/\u001b\[[0-9;]*m/g, "").replace(/\r/g, "");
}

/** Names of the failing tests in `node:test` spec-reporter output. */
export function failingTests(output: string): string[] {
  const lines = clean(output).split("\n");
  const start = lines.findIndex((line) => line.includes("failing tests:"));
  const names = lines
    .slice(start === -1 ? 0 : start + 1)
    .map((line) => /^\s*✖ (.+?) \([\d.]+m?s\)\s*$/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
  return [...new Set(names)];
}

/** Test files with failures in `node:test` spec-reporter output (`test at test/x.test.js:3:1`). */
export function failingFiles(output: string): string[] {
  const files = [...clean(output).matchAll(/test at (\S+?\.test\.js):\d+/g)].map((m) => m[1]);
  return [...new Set(files.filter((file): file is string => file !== undefined))];
}

/** The `ℹ name N` counters of the spec reporter (tests, pass, fail…). */
export function testCounts(output: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of clean(output).matchAll(/^ℹ (\w+) (\d+)/gm)) {
    if (match[1] !== undefined) counts[match[1]] = Number(match[2]);
  }
  return counts;
}

function lastOutput(ctx: ScriptContext): ToolOutput | undefined {
  return ctx.toolOutputs.at(-1);
}

/** The latest command's output, skipping plan updates made since. */
function lastCommand(ctx: ScriptContext): ToolOutput | undefined {
  return ctx.toolOutputs.findLast((output) => output.name !== "update_plan");
}

function listFailures(failures: string[]): string {
  return failures.length === 0
    ? "(see the test output above)"
    : failures.map((name) => `- ${name}`).join("\n");
}

function verdict(patch: ScenarioPatch, testFile: string): Step {
  return (ctx) => {
    const run = lastCommand(ctx);
    if (run?.exitCode === 0) return { kind: "message", text: patch.passed };
    const failures = failingTests(run?.output ?? "");
    const text = patch.failed
      ? patch.failed(failures)
      : `I applied the change, but \`${testRun(testFile)}\` still fails (exit code ${String(run?.exitCode)}):\n\n${listFailures(failures)}\n\nThe change needs an engineer's review before it can be merged.`;
    return { kind: "message", text, reasoning: "The tests still fail; reporting it honestly." };
  };
}

function planSteps(analysis: Analysis, done: number, explanation?: string): PlanStep {
  return {
    kind: "plan",
    ...(explanation === undefined ? {} : { explanation }),
    items: analysis.plan.map((step, index) => ({
      step,
      status: index < done ? "completed" : index === done ? "in_progress" : "pending",
    })),
  };
}

function analyzeTurn(s: Scenario): ScriptTurn {
  return {
    match: TURN_PATTERNS.analyze,
    steps: [
      ...s.investigate.map((i): StepSpec => ({
        kind: "shell",
        command: i.command,
        reasoning: i.reasoning,
      })),
      { kind: "shell", command: testRun(s.testFile), reasoning: s.confirmReasoning },
      { kind: "json", value: s.analysis, reasoning: s.concludeReasoning },
    ],
  };
}

function fixTurn(s: Scenario, fix: ScenarioPatch): ScriptTurn {
  const last = Math.max(0, s.analysis.plan.length - 1);
  return {
    match: TURN_PATTERNS.fix,
    steps: [
      planSteps(s.analysis, 0, "Implementing the plan from the analysis."),
      { kind: "patch", patch: fix.patch, reasoning: fix.reasoning },
      planSteps(s.analysis, last),
      {
        kind: "shell",
        command: testRun(s.testFile),
        reasoning: `Running ${s.testFile}; the rest of the suite fails on other open bugs.`,
      },
      (ctx) => planSteps(s.analysis, lastOutput(ctx)?.exitCode === 0 ? last + 1 : last),
      verdict(fix, s.testFile),
    ],
  };
}

/** A follow-up that completes the fix: the patch is skipped when the tests already pass. */
function completingFollowUp(s: Scenario, followUp: ScenarioPatch): ScriptTurn {
  return {
    match: TURN_PATTERNS.followUp,
    steps: [
      {
        kind: "shell",
        command: testRun(s.testFile),
        reasoning: "Re-running the tests to see what is still failing.",
      },
      (ctx) =>
        lastOutput(ctx)?.exitCode === 0
          ? { kind: "shell", command: "git diff --stat", reasoning: "The tests already pass." }
          : { kind: "patch", patch: followUp.patch, reasoning: followUp.reasoning },
      { kind: "shell", command: testRun(s.testFile) },
      verdict(followUp, s.testFile),
    ],
  };
}

/**
 * A follow-up the scripted model cannot really act on: it re-checks the branch and says
 * so plainly, rather than pretending to have done what was asked.
 */
export function genericFollowUp(testFile: string | null): ScriptTurn {
  return {
    match: TURN_PATTERNS.followUp,
    steps: [
      {
        kind: "shell",
        command: "git status --short && git diff --stat",
        reasoning: "Looking at the state of the working copy before answering.",
      },
      { kind: "shell", command: testRun(testFile) },
      (ctx) => {
        const passed = lastOutput(ctx)?.exitCode === 0;
        return {
          kind: "message",
          text: [
            "This sandbox runs a scripted model, which cannot carry out free-form follow-ups, so I made no new change.",
            `I re-checked the branch instead: \`${testRun(testFile)}\` ${passed ? "passes" : "fails"}.`,
            "With a real Codex model, this turn would work on your request.",
          ].join(" "),
        };
      },
    ],
  };
}

/** A retry after an interruption: applies the fix unless the working copy already has it. */
function resumeTurn(s: Scenario, fix: ScenarioPatch): ScriptTurn {
  const file = s.analysis.files[0] ?? "src/";
  return {
    match: TURN_PATTERNS.resume,
    steps: [
      {
        kind: "shell",
        command: "git status --short",
        reasoning: "The previous attempt was interrupted; checking what it left behind.",
      },
      (ctx) =>
        (lastOutput(ctx)?.output ?? "").includes(file)
          ? { kind: "shell", command: "git diff", reasoning: `${file} already has the change.` }
          : { kind: "patch", patch: fix.patch, reasoning: fix.reasoning },
      { kind: "shell", command: testRun(s.testFile) },
      verdict(fix, s.testFile),
    ],
  };
}

function paced(step: Step, delayMs: number): Step {
  if (typeof step === "function") return (ctx) => ({ ...step(ctx), delayMs });
  return { ...step, delayMs };
}

/** Applies the pacing to every step of a script. */
export function withPacing(script: Script, pacing: Pacing): Script {
  return {
    ...script,
    turns: script.turns.map((turn) => ({
      ...turn,
      steps: turn.steps.map((step) => paced(step, pacing.stepDelayMs)),
    })),
  };
}

/**
 * The script of one sample ticket, matched by the ticket key in the thread's first prompt
 * (other prompts may mention other keys, e.g. a comment saying "like SHOP-141").
 */
export function scenarioScript(s: Scenario, pacing: Pacing): Script {
  const keyLine = new RegExp(`^Key: ${s.ticketKey}$`, "m");
  const turns: ScriptTurn[] = [analyzeTurn(s)];
  if (s.fix) turns.push(fixTurn(s, s.fix), resumeTurn(s, s.fix));
  turns.push(s.followUp ? completingFollowUp(s, s.followUp) : genericFollowUp(s.testFile));
  return withPacing(
    {
      name: `sandbox-${s.ticketKey.toLowerCase()}`,
      match: (ctx) => keyLine.test(ctx.firstUserMessage),
      turns,
    },
    pacing,
  );
}
