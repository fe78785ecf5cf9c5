import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import type { AgentEvent } from "../../shared/agent-event.js";
import type { AgentTurnRequest } from "../../server/domain/ports/coding-agent.js";
import { TEST_STATE_DIR } from "./test-state-dir.js";

/** Fixtures for tests that drive the real Codex binary with the scripted model. */

const ARTIFACTS = TEST_STATE_DIR;

/** A silent logger for adapters under test. */
export const silentLogger = pino({ level: "silent" });

/**
 * A fresh CODEX_HOME under tests/.artifacts (git-ignored). Not under /tmp: Codex refuses
 * to set up its helper binaries (the apply_patch alias) in a temporary directory.
 */
export async function makeCodexHome(): Promise<string> {
  const root = path.join(ARTIFACTS, "codex-home");
  await mkdir(root, { recursive: true });
  return mkdtemp(path.join(root, "home-"));
}

/** Removes a directory made by the fixtures. */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** The buggy source: `sum` subtracts. */
export const BUGGY_SUM = "export function sum(a, b) {\n  return a - b;\n}\n";

/** The sum project's test: fails until sum() adds. */
export const SUM_TEST = [
  'import { test } from "node:test";',
  'import assert from "node:assert/strict";',
  'import { sum } from "../src/sum.js";',
  "",
  'test("sum adds", () => {',
  "  assert.equal(sum(2, 3), 5);",
  "});",
  "",
].join("\n");
/** The fixed source. */
export const FIXED_SUM = "export function sum(a, b) {\n  return a + b;\n}\n";

/** The patch (Codex's apply_patch format) that fixes {@link BUGGY_SUM}. */
export const SUM_FIX_PATCH = [
  "*** Begin Patch",
  "*** Update File: src/sum.js",
  " export function sum(a, b) {",
  "-  return a - b;",
  "+  return a + b;",
  " }",
  "*** End Patch",
].join("\n");

/**
 * A temporary git repository with a tiny JS project whose `node --test` suite fails
 * until {@link SUM_FIX_PATCH} is applied. The repo may live under /tmp; CODEX_HOME may not.
 */
export async function makeBuggyRepo(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "patchboard-codex-repo-"));
  await mkdir(path.join(dir, "src"));
  await mkdir(path.join(dir, "test"));
  await writeFile(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "calc", type: "module", scripts: { test: "node --test" } }, null, 2),
  );
  await writeFile(path.join(dir, "src/sum.js"), BUGGY_SUM);
  await writeFile(path.join(dir, "test/sum.test.js"), SUM_TEST);
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    GIT_AUTHOR_NAME: "Fixture",
    GIT_AUTHOR_EMAIL: "fixture@example.test",
    GIT_COMMITTER_NAME: "Fixture",
    GIT_COMMITTER_EMAIL: "fixture@example.test",
  };
  for (const args of [
    ["init", "-q", "-b", "main"],
    ["add", "."],
    ["commit", "-qm", "init"],
  ]) {
    execFileSync("git", args, { cwd: dir, env });
  }
  return dir;
}

/** Collects the events of a turn and builds its request with sensible defaults. */
export function turnRequest(
  overrides: Partial<AgentTurnRequest> & Pick<AgentTurnRequest, "workingDirectory" | "prompt">,
): { request: AgentTurnRequest; events: AgentEvent[] } {
  const events: AgentEvent[] = [];
  const request: AgentTurnRequest = {
    taskId: "task-1",
    threadId: null,
    sandbox: "workspace-write",
    signal: new AbortController().signal,
    onEvent: (event) => {
      events.push(event);
      return Promise.resolve();
    },
    ...overrides,
  };
  return { request, events };
}

/** The completed command items of a turn's events. */
export function completedCommands(
  events: readonly AgentEvent[],
): { command: string; output: string; exitCode: number | undefined }[] {
  return events.flatMap((event) =>
    event.type === "item.completed" && event.item.type === "command_execution"
      ? [
          {
            command: event.item.command,
            output: event.item.aggregated_output,
            exitCode: event.item.exit_code,
          },
        ]
      : [],
  );
}

/** Pids of live processes whose argv is exactly `argv` (Linux /proc; empty elsewhere). */
export function processesWithArgs(argv: readonly string[]): number[] {
  if (process.platform !== "linux") return [];
  const wanted = `${argv.join("\0")}\0`;
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8") === wanted;
      } catch {
        return false;
      }
    })
    .map(Number);
}
