import { parseJsonReport } from "../../server/domain/verdict/json-report.js";
import { parseJunit } from "../../server/domain/verdict/junit-report.js";
import { parseTap } from "../../server/domain/verdict/tap-report.js";

describe("test report parsers", () => {
  it("reads JUnit XML: failures, errors, skips, class names and files", () => {
    const xml = `<?xml version="1.0"?>
<testsuites><testsuite name="calc" tests="4">
  <testcase classname="tests.test_add" name="test_adds" file="tests/test_add.py" time="0.01"/>
  <testcase classname="tests.test_add" name="test_&lt;neg&gt;" file="tests/test_add.py"><failure message="1 != 2">trace</failure></testcase>
  <testcase classname="CalcTest" name="divides"><error type="ZeroDivisionError"/></testcase>
  <testcase classname="CalcTest" name="later"><skipped/></testcase>
</testsuite></testsuites>`;
    expect(parseJunit(xml)).toEqual([
      { name: "tests.test_add › test_adds", status: "passed", file: "tests/test_add.py" },
      { name: "tests.test_add › test_<neg>", status: "failed", file: "tests/test_add.py" },
      { name: "CalcTest › divides", status: "failed", file: null },
      { name: "CalcTest › later", status: "skipped", file: null },
    ]);
    expect(parseJunit("no report here")).toBeNull();
  });

  it("reads node:test TAP: the innermost subtests, with the failing test's file", () => {
    const text = [
      "TAP version 13",
      "# Subtest: cart",
      "    # Subtest: adds up",
      "    ok 1 - adds up",
      "      ---",
      "      duration_ms: 1.4",
      "      ...",
      "    # Subtest: case-insensitive SKUs",
      "    not ok 2 - case-insensitive SKUs",
      "      ---",
      "      location: '/repo/test/cart.test.js:24:3'",
      "      error: |-",
      "        ok 9 - not a test line",
      "      ...",
      "    1..2",
      "not ok 1 - cart",
      "# Subtest: top level",
      "ok 2 - top level # SKIP not today",
      "1..2",
      "# tests 3",
      "# pass 1",
    ].join("\n");
    expect(parseTap(text)).toEqual([
      { name: "cart › adds up", status: "passed", file: null },
      { name: "cart › case-insensitive SKUs", status: "failed", file: "/repo/test/cart.test.js" },
      { name: "top level", status: "skipped", file: null },
    ]);
  });

  it("reads tape TAP: one test per # group, failed when any assertion failed", () => {
    const text =
      "TAP version 13\n# parse args\nok 1 should be equal\nnot ok 2 should be equal\n# proto\nok 3 ok\n\n1..3\n# tests 3\n# pass  2\n# fail  1\n";
    expect(parseTap(text)).toEqual([
      { name: "parse args", status: "failed", file: null },
      { name: "proto", status: "passed", file: null },
    ]);
    expect(parseTap("npm ERR! missing script: test")).toBeNull();
  });

  it("reads jest/vitest JSON and mocha JSON, skipping what is printed around them", () => {
    const jest = JSON.stringify({
      numFailedTests: 1,
      testResults: [
        {
          name: "/repo/test/add.test.ts",
          assertionResults: [
            { fullName: "add adds", status: "passed" },
            { fullName: "add negatives", status: "failed" },
            { fullName: "add later", status: "pending" },
          ],
        },
      ],
    });
    expect(parseJsonReport(`> calc@1.0.0 test\n> vitest run --reporter=json\n\n${jest}\n`)).toEqual(
      [
        { name: "add adds", status: "passed", file: "/repo/test/add.test.ts" },
        { name: "add negatives", status: "failed", file: "/repo/test/add.test.ts" },
        { name: "add later", status: "skipped", file: "/repo/test/add.test.ts" },
      ],
    );
    const mocha = JSON.stringify({
      tests: [
        { fullTitle: "add adds", file: "test/add.js", err: {} },
        { fullTitle: "add negatives", file: "test/add.js", err: { message: "boom" } },
      ],
    });
    expect(parseJsonReport(mocha)).toEqual([
      { name: "add adds", status: "passed", file: "test/add.js" },
      { name: "add negatives", status: "failed", file: "test/add.js" },
    ]);
    expect(parseJsonReport("{ not json")).toBeNull();
  });
});
