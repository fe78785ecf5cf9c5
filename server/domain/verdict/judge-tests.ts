import type { TestVerdict } from "../../../shared/test-verdict.js";
import type { TestBaseline, TestCaseResult } from "../ports/environments.js";

/** A test suite's run: exit code, per-test results when the report had them. */
export interface SuiteRun {
  exitCode: number | null;
  timedOut: boolean;
  results: TestCaseResult[] | null;
  durationMs: number;
  outputTail: string;
}

/** At most this many names per list in a verdict (the count says how many more). */
const MAX_NAMES = 50;

/**
 * The server's verdict on a change's tests, comparing the run after the change with the
 * base's. Ready for review when the suite passes; or, where both runs reported per-test
 * results, when no test that passed on the base (and no new test) fails now, and no test
 * the change touched still fails (its file changed, or it tests a module that changed:
 * a fix must make its own module's tests pass, not only avoid breaking others). Without per-test
 * results the exit code decides alone. A timeout or a run that could not start is never
 * ready.
 */
export function judgeTests(input: {
  command: string;
  run: SuiteRun;
  base: TestBaseline | null;
  changedFiles: readonly string[];
}): TestVerdict {
  const { run, base } = input;
  const failing = (run.results ?? []).filter((r) => r.status === "failed");
  const common = {
    perTest: run.results !== null,
    exitCode: run.exitCode,
    total: run.results?.length ?? null,
    passed: run.results ? run.results.filter((r) => r.status === "passed").length : null,
    base: base
      ? {
          exitCode: base.exitCode,
          failing: (base.results ?? []).filter((r) => r.status === "failed").length,
        }
      : null,
    durationMs: run.durationMs,
    outputTail: run.outputTail,
    command: input.command,
  };
  if (run.timedOut || run.exitCode === null) {
    return {
      ...common,
      ready: false,
      result: "error",
      newFailures: [],
      fixed: [],
      stillFailing: [],
    };
  }
  const baseStatus = new Map((base?.results ?? []).map((r) => [r.name, r.status] as const));
  const fixed = (run.results ?? [])
    .filter((r) => r.status === "passed" && baseStatus.get(r.name) === "failed")
    .map((r) => r.name);
  if (run.exitCode === 0 && failing.length === 0) {
    return {
      ...common,
      ready: true,
      result: "passed",
      newFailures: [],
      fixed: cap(fixed),
      stillFailing: [],
    };
  }
  const comparable = run.results !== null && base?.results != null;
  if (!comparable || failing.length === 0) {
    // Exit code only (or a failure no reported test explains, e.g. a crash after the tests).
    return {
      ...common,
      ready: false,
      result: "failed",
      newFailures: cap(failing.map((r) => r.name)),
      fixed: cap(fixed),
      stillFailing: [],
    };
  }
  const changed = input.changedFiles.map(normalise);
  const changedStems = new Set(changed.map(stemOf).filter((stem) => stem !== ""));
  // A test the change touched: its file changed, or it tests a module that changed
  // (test/delivery.test.js for src/delivery.js, test_delivery.py, DeliveryTest.java…).
  const touched = (r: TestCaseResult): boolean => {
    if (r.file === null) return false;
    const own = normalise(r.file);
    return (
      changed.some((file) => own === file || own.endsWith(`/${file}`)) ||
      changedStems.has(stemOf(own))
    );
  };
  const newFailures = failing.filter((r) => baseStatus.get(r.name) !== "failed" || touched(r));
  const stillFailing = failing.filter((r) => !newFailures.includes(r));
  const ready = newFailures.length === 0;
  return {
    ...common,
    ready,
    result: ready ? "no_new_failures" : "failed",
    newFailures: cap(newFailures.map((r) => r.name)),
    fixed: cap(fixed),
    stillFailing: cap(stillFailing.map((r) => r.name)),
  };
}

/** A verdict for a repository without a test command. */
export function notRunVerdict(): TestVerdict {
  return {
    ready: false,
    result: "not_run",
    perTest: false,
    exitCode: null,
    newFailures: [],
    fixed: [],
    stillFailing: [],
    total: null,
    passed: null,
    base: null,
    durationMs: 0,
    outputTail: "",
    command: null,
  };
}

function cap(names: string[]): string[] {
  return names.length <= MAX_NAMES
    ? names
    : [...names.slice(0, MAX_NAMES), `… and ${names.length - MAX_NAMES} more`];
}

/** A file's module name without folders, extensions and test markers, lower-case. */
export function stemOf(file: string): string {
  const base = file.split("/").at(-1) ?? file;
  return base
    .replace(/\.[^.]*$/, "")
    .replace(/[._-](test|spec|tests)$/i, "")
    .replace(/^(test|spec)[._-]/i, "")
    .replace(/(Test|Tests|Spec)$/, "")
    .toLowerCase();
}

function normalise(file: string): string {
  return file.replace(/\\/g, "/").replace(/^\.\//, "");
}
