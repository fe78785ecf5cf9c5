import type { TestCaseResult } from "../ports/environments.js";

const TESTCASE = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
const ATTRIBUTE = /([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;

/**
 * Per-test results from JUnit XML (surefire, pytest `--junitxml`, go-junit-report, jest-junit,
 * vitest `--reporter=junit`, Gradle…): a `<testcase>` with `<failure>` or `<error>` failed,
 * with `<skipped>` was skipped. Names are `classname › name`. Returns null when the text
 * holds no test case (not a report).
 */
export function parseJunit(xml: string): TestCaseResult[] | null {
  const results: TestCaseResult[] = [];
  for (const match of xml.matchAll(TESTCASE)) {
    const attributes = readAttributes(match[1] ?? "");
    const body = match[3] ?? "";
    const name = attributes.get("name") ?? "(unnamed)";
    const classname = attributes.get("classname");
    const status = /<(failure|error)\b/.test(body)
      ? "failed"
      : /<skipped\b/.test(body)
        ? "skipped"
        : "passed";
    results.push({
      name: classname ? `${classname} › ${name}` : name,
      status,
      file: attributes.get("file") ?? null,
    });
  }
  return results.length > 0 ? results : null;
}

function readAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of text.matchAll(ATTRIBUTE)) {
    attributes.set(match[1] ?? "", decodeXml(match[3] ?? match[4] ?? ""));
  }
  return attributes;
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, "&");
}
