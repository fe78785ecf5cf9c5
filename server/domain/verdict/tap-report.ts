import type { TestCaseResult } from "../ports/environments.js";

const ASSERTION = /^(not ok|ok)\b\s*(\d+)?\s*(?:-\s*)?(.*)$/;
const DIRECTIVE = /\s*#\s*(skip|todo)\b.*$/i;
const SUBTEST = /^# Subtest:\s*(.*)$/;
const COMMENT = /^#\s+(.*)$/;
/** tape's and node:test's closing summary lines, which are not tests. */
const SUMMARY = /^(tests|pass|fail|ok|todo|skip|suites|cancelled|duration_ms)(\s+[\d.]+)?$/i;
const LOCATION = /^location:\s*['"]?(.*?)(?::\d+){0,2}['"]?$/;

interface Entry {
  result: TestCaseResult;
  /** The names of the tests it is nested in (node:test subtests). */
  path: string[];
}

/**
 * Per-test results from TAP: node:test (nested `# Subtest:` blocks; the innermost tests
 * count, named `parent › child`, with the file from a failure's `location:`), tape
 * (assertions grouped under `# name` comments: a group fails when any assertion does) and
 * plain TAP (each `ok`/`not ok` line). A `# SKIP` or `# TODO` directive counts as
 * skipped; YAML diagnostics are skipped over. Returns null when there is no TAP.
 */
export function parseTap(text: string): TestCaseResult[] | null {
  const entries: Entry[] = [];
  const groups = new Map<string, TestCaseResult>();
  const subtests: { indent: number; name: string }[] = [];
  let group: string | null = null;
  let yaml = false;
  let last: TestCaseResult | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const indent = raw.length - raw.trimStart().length;
    if (yaml) {
      if (line === "...") yaml = false;
      const location = LOCATION.exec(line);
      if (location && last !== null && last.file === null) last.file = fileOf(location[1] ?? "");
      continue;
    }
    if (line === "---" && last !== null) {
      yaml = true;
      continue;
    }
    const subtest = SUBTEST.exec(line);
    if (subtest) {
      while ((subtests.at(-1)?.indent ?? -1) >= indent) subtests.pop();
      subtests.push({ indent, name: subtest[1]?.trim() ?? "" });
      continue;
    }
    const comment = COMMENT.exec(line);
    if (comment) {
      if (indent === 0 && !SUMMARY.test(comment[1]?.trim() ?? ""))
        group = comment[1]?.trim() ?? null;
      continue;
    }
    const assertion = ASSERTION.exec(line);
    if (!assertion) continue;
    const description = assertion[3] ?? "";
    const skipped = DIRECTIVE.test(description);
    const status =
      assertion[1] === "not ok" && !skipped ? "failed" : skipped ? "skipped" : "passed";
    const name = description.replace(DIRECTIVE, "").trim() || `test ${assertion[2] ?? ""}`.trim();
    const parents = subtests.filter((s) => s.indent < indent).map((s) => s.name);
    while ((subtests.at(-1)?.indent ?? -1) >= indent) subtests.pop();
    if (indent === 0 && parents.length === 0 && group !== null) {
      last = mergeIntoGroup(groups, group, status);
      continue;
    }
    last = { name: [...parents, name].join(" › "), status, file: null };
    entries.push({ result: last, path: parents });
  }
  if (entries.length === 0 && groups.size === 0) return null;
  // A parent's line only sums up its subtests: the innermost tests are the results.
  const parentNames = new Set(
    entries.flatMap((e) => e.path.map((_, i) => e.path.slice(0, i + 1).join(" › "))),
  );
  const leaves = entries.map((e) => e.result).filter((r) => !parentNames.has(r.name));
  return [...groups.values(), ...uniqueNames(leaves)];
}

function mergeIntoGroup(
  groups: Map<string, TestCaseResult>,
  group: string,
  status: TestCaseResult["status"],
): TestCaseResult {
  const existing = groups.get(group);
  if (existing === undefined) {
    const created: TestCaseResult = { name: group, status, file: null };
    groups.set(group, created);
    return created;
  }
  if (status === "failed") existing.status = "failed";
  else if (existing.status === "skipped" && status === "passed") existing.status = "passed";
  return existing;
}

/** A `location:` value (`/abs/test/a.test.js:24:3` or a `file://` URL) as a path. */
function fileOf(location: string): string | null {
  const value = location.replace(/^file:\/\//, "").replace(/(:\d+)+$/, "");
  return value === "" ? null : value;
}

/** Numbers repeated names (`name (2)`), so two different tests never merge. */
function uniqueNames(results: TestCaseResult[]): TestCaseResult[] {
  const seen = new Map<string, number>();
  return results.map((result) => {
    const count = (seen.get(result.name) ?? 0) + 1;
    seen.set(result.name, count);
    return count === 1 ? result : { ...result, name: `${result.name} (${count})` };
  });
}
