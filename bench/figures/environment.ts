/**
 * Figure 8 (issue #12): what a task's isolated, prepared environment costs, against floors
 * measured in the same run on the same machine.
 *
 * - Click → first agent event on a warm, prepared repository whose setup is a real
 *   `npm ci` of a few hundred packages, against a click with nothing prepared (see
 *   environment-click.ts).
 * - Isolation per command: `true` in a bubblewrap namespace against a plain child process.
 * - Isolation per turn: one whole scripted Codex turn (one shell command) with the CLI
 *   started through the namespace launcher a task uses, against the CLI started directly.
 * - The server's own test run (isolated, network off) against the same command run
 *   directly, as the agent's unisolated floor.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pino } from "pino";
import { createEnvironmentFiles } from "../../server/adapters/git/index.js";
import {
  createBubblewrapSandbox,
  createDirectSandbox,
  detectIsolation,
} from "../../server/adapters/isolation/index.js";
import type { EnvironmentDeps } from "../../server/domain/environment/environment-settings.js";
import type { CommandSandbox } from "../../server/domain/ports/command-sandbox.js";
import type { RepoConfig } from "../../server/domain/repo-config.js";
import { runTestSuite } from "../../server/domain/verdict/run-test-suite.js";
import { git } from "../lib/git.js";
import { ms, times, type Row } from "../lib/report.js";
import { measureTurnIsolation, type TurnIsolation } from "../lib/scripted-turn.js";
import { median, round } from "../lib/stats.js";
import { measureClick, NPM_SETUP, type ClickFigures } from "./environment-click.js";

const logger = pino({ level: "silent" });
const COMMAND_RUNS = 20;
const TURN_RUNS = 5;
const TEST_RUNS = 3;

/** What {@link measureEnvironment} found (milliseconds). */
export interface EnvironmentFigures {
  click: ClickFigures;
  command: { isolatedMs: number; directMs: number };
  turn: TurnIsolation;
  tests: { serverMs: number; directMs: number; tests: number };
}

/** A small repository with a lockfile, a `node --test` suite and `node_modules` ignored. */
async function makeRepository(dir: string): Promise<void> {
  await mkdir(path.join(dir, "test"), { recursive: true });
  await writeFile(path.join(dir, ".gitignore"), "node_modules/\n");
  await writeFile(path.join(dir, "package-lock.json"), '{"lockfileVersion":3}\n');
  await writeFile(path.join(dir, "sum.js"), "exports.sum = (a, b) => a + b;\n");
  const cases = Array.from(
    { length: 20 },
    (_, i) => `test("sum ${i}", () => assert.equal(sum(${i}, 1), ${i + 1}));`,
  );
  await writeFile(
    path.join(dir, "test", "sum.test.js"),
    [
      'const test = require("node:test");',
      'const assert = require("node:assert");',
      'const { sum } = require("../sum.js");',
      ...cases,
      "",
    ].join("\n"),
  );
  await git(["init", "--quiet", "--initial-branch=main"], dir);
  await git(["add", "."], dir);
  await git(
    ["-c", "user.name=Bench", "-c", "user.email=bench@example.test", "commit", "-qm", "init"],
    dir,
  );
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function medianOf(runs: number, work: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await timed(work));
  return round(median(samples));
}

function environmentDeps(sandbox: CommandSandbox, root: string): EnvironmentDeps {
  return {
    sandbox,
    environments: createEnvironmentFiles({ root }),
    settings: {
      path: process.env.PATH ?? "/usr/bin:/bin",
      setupTimeoutMs: 120_000,
      testTimeoutMs: 60_000,
      setupEnv: {},
    },
    logger,
  };
}

/** Runs figure 8 in `runDir`; needs bubblewrap to work on the host. */
export async function measureEnvironment(options: {
  runDir: string;
  log: (message: string) => void;
}): Promise<EnvironmentFigures> {
  const support = await detectIsolation();
  if (!support.available) throw new Error(`isolation unavailable: ${support.reason}`);
  const isolated = createBubblewrapSandbox({ bwrapPath: support.bwrapPath });
  const direct = createDirectSandbox();
  const dataDir = path.join(options.runDir, "environment");
  const workdir = path.join(dataDir, "worktree");
  await mkdir(workdir, { recursive: true });
  await makeRepository(workdir);
  const repo: RepoConfig = {
    jiraProject: "BENCH",
    github: "acme/env",
    baseBranch: "main",
    cloneUrl: workdir,
    testCommand: "node --test --test-reporter=tap",
    testReport: { format: "tap", path: null },
    reviewers: [],
  };
  const deps = environmentDeps(isolated, path.join(dataDir, "environments"));

  const click = await measureClick(options);

  options.log(`environment: ${COMMAND_RUNS} runs of \`true\`, isolated and direct…`);
  const once = (sandbox: CommandSandbox) => () =>
    sandbox.run({
      command: "true",
      cwd: workdir,
      env: { PATH: "/usr/bin:/bin" },
      network: false,
      mounts: { workdir, writable: [], readOnly: [] },
      timeoutMs: 10_000,
    });
  const command = {
    isolatedMs: await medianOf(COMMAND_RUNS, once(isolated)),
    directMs: await medianOf(COMMAND_RUNS, once(direct)),
  };

  options.log(`environment: ${TURN_RUNS} scripted Codex turns, isolated and direct…`);
  const turnDir = path.join(dataDir, "turn");
  await mkdir(turnDir, { recursive: true });
  const turn = await measureTurnIsolation({
    dir: turnDir,
    workdir,
    bwrapPath: support.bwrapPath,
    runs: TURN_RUNS,
  });

  options.log("environment: the server's test run against the same command run directly…");
  const dirs = await deps.environments.dirs(repo.github, "bench");
  const suite = (sandboxDeps: EnvironmentDeps) => () =>
    runTestSuite(sandboxDeps, {
      repo: { ...repo, testCommand: repo.testCommand ?? "" },
      workdir,
      dirs,
    });
  const probe = await runTestSuite(deps, {
    repo: { ...repo, testCommand: repo.testCommand ?? "" },
    workdir,
    dirs,
  });
  const tests = {
    serverMs: await medianOf(TEST_RUNS, suite(deps)),
    directMs: await medianOf(
      TEST_RUNS,
      suite(environmentDeps(direct, path.join(dataDir, "environments"))),
    ),
    tests: probe.results?.length ?? 0,
  };
  return { click, command, turn, tests };
}

/** The table's rows of figure 8. */
export function environmentRows(f: EnvironmentFigures): Row[] {
  const ratio = (value: number, floor: number) => (floor > 0 ? value / floor : Number.NaN);
  const { click } = f;
  const floor = click.scratchWarmCache.startMs;
  const warmRatio = ratio(click.warmMedianMs, floor);
  const addedPerCommand = f.command.isolatedMs - f.command.directMs;
  const addedPerTurn = f.turn.isolatedMedianMs - f.turn.directMedianMs;
  const turnShare = ratio(addedPerTurn, f.turn.directMedianMs);
  return [
    {
      figure: "8",
      measure: `click → first agent event, warm prepared repository (\`${NPM_SETUP}\`, ${click.packages} packages), median of ${click.warm.length} vs the same click with nothing prepared (repository's npm cache warm)`,
      value: ms(click.warmMedianMs),
      floor: `${ms(floor)} (scratch)`,
      ratio: times(warmRatio),
      target: "< 1 s and < 0.05×",
      ok: click.warmMedianMs < 1000 && warmRatio < 0.05,
    },
    {
      figure: "8",
      measure:
        "… the warm click, from the click: task running / environment checked (setup skipped) / first turn sent / first agent event (medians)",
      value: [
        click.warmPhasesMs.running,
        click.warmPhasesMs.environmentReady,
        click.warmPhasesMs.turnSent,
        click.warmMedianMs,
      ]
        .map(ms)
        .join(" / "),
      floor: "",
      ratio: "",
      target: "",
      ok: null,
    },
    {
      figure: "8",
      measure:
        "… the scratch click's own setup (npm cache warm / empty: downloads), and the first click with the npm cache empty",
      value: `${ms(click.scratchWarmCache.setupMs ?? Number.NaN)} / ${ms(click.scratchColdCache.setupMs ?? Number.NaN)}`,
      floor: `${ms(click.scratchColdCache.startMs)} (click, cache empty)`,
      ratio: times(ratio(click.warmMedianMs, click.scratchColdCache.startMs)),
      target: "setup ≥ 20 s",
      ok: (click.scratchWarmCache.setupMs ?? 0) >= 20_000,
    },
    {
      figure: "8",
      measure: `isolation per command: \`true\` in bubblewrap vs a plain child process, median of ${COMMAND_RUNS}`,
      value: ms(f.command.isolatedMs),
      floor: `${ms(f.command.directMs)} (direct)`,
      ratio: `+${ms(addedPerCommand)}`,
      target: "",
      ok: null,
    },
    {
      figure: "8",
      measure: `isolation per turn: a scripted Codex turn (one shell command), CLI through the namespace launcher vs directly, alternated, median of ${f.turn.isolatedMs.length}`,
      value: ms(f.turn.isolatedMedianMs),
      floor: `${ms(f.turn.directMedianMs)} (direct)`,
      ratio: `${addedPerTurn >= 0 ? "+" : ""}${ms(addedPerTurn)} (${(turnShare * 100).toFixed(1)}%)`,
      target: "< 5% of a turn",
      ok: turnShare < 0.05,
    },
    {
      figure: "8",
      measure: `the server's test run (isolated, network off, ${f.tests.tests} tests) vs the same command run directly`,
      value: ms(f.tests.serverMs),
      floor: `${ms(f.tests.directMs)} (direct)`,
      ratio: times(ratio(f.tests.serverMs, f.tests.directMs)),
      target: "",
      ok: null,
    },
  ];
}
