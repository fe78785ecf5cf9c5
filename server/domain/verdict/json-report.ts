import type { TestCaseResult } from "../ports/environments.js";

interface JestAssertion {
  fullName?: unknown;
  title?: unknown;
  status?: unknown;
}
interface JestFile {
  name?: unknown;
  assertionResults?: unknown;
}
interface MochaTest {
  fullTitle?: unknown;
  title?: unknown;
  file?: unknown;
  err?: unknown;
  pending?: unknown;
}

/**
 * Per-test results from a JSON reporter: jest `--json` and vitest `--reporter=json`
 * (`testResults[].assertionResults[]`), or mocha `--reporter json` (`tests[]`). Output
 * printed around the JSON (a banner, npm's script lines) is skipped. Returns null when no
 * such report is found.
 */
export function parseJsonReport(text: string): TestCaseResult[] | null {
  const report = extractJson(text);
  if (report === null || typeof report !== "object") return null;
  const record = report as Record<string, unknown>;
  if (Array.isArray(record.testResults)) return fromJest(record.testResults as JestFile[]);
  if (Array.isArray(record.tests)) return fromMocha(record.tests as MochaTest[]);
  return null;
}

function fromJest(files: JestFile[]): TestCaseResult[] | null {
  const results: TestCaseResult[] = [];
  for (const file of files) {
    const path = typeof file.name === "string" ? file.name : null;
    const assertions = Array.isArray(file.assertionResults)
      ? (file.assertionResults as JestAssertion[])
      : [];
    for (const assertion of assertions) {
      const name = textOf(assertion.fullName) ?? textOf(assertion.title) ?? "(unnamed)";
      const status =
        assertion.status === "passed"
          ? "passed"
          : assertion.status === "failed"
            ? "failed"
            : "skipped";
      results.push({ name, status, file: path });
    }
  }
  return results.length > 0 ? results : null;
}

function fromMocha(tests: MochaTest[]): TestCaseResult[] | null {
  const results = tests.map((test): TestCaseResult => {
    const failed = test.err !== undefined && test.err !== null && Object.keys(test.err).length > 0;
    return {
      name: textOf(test.fullTitle) ?? textOf(test.title) ?? "(unnamed)",
      status: failed ? "failed" : test.pending === true ? "skipped" : "passed",
      file: typeof test.file === "string" ? test.file : null,
    };
  });
  return results.length > 0 ? results : null;
}

function textOf(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** The JSON document in the text: all of it, or from the first line that opens an object. */
function extractJson(text: string): unknown {
  const trimmed = text.trim();
  const candidates = [trimmed];
  const start = trimmed.search(/^\{/m);
  const end = trimmed.lastIndexOf("}");
  if (start > 0 && end > start) candidates.push(trimmed.slice(start, end + 1));
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // Not this one; try the next.
    }
  }
  return null;
}
