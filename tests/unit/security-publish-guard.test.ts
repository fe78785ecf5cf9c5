import { AppError } from "../../server/domain/app-error.js";
import type { ChangeStatus, StagedChange } from "../../server/domain/ports/workspaces.js";
import {
  DEFAULT_PROTECTED_PATHS,
  assertPublishable,
  checkPublish,
  globToRegExp,
  matchGlobs,
  parseUnifiedDiff,
} from "../../server/domain/publish-guard/index.js";

/**
 * A text-only staged change from a diff, its paths as git would list them (a rename is a
 * deletion plus an addition, as with `--no-renames`).
 */
function textChange(diff: string): StagedChange {
  const files = parseUnifiedDiff(diff).flatMap((f) => {
    const base = { binary: false, size: 0, content: null, oldContent: null };
    if (f.oldPath !== null && f.newPath !== null && f.oldPath !== f.newPath) {
      return [
        { ...base, path: f.oldPath, status: "deleted" as const, oldMode: "100644", newMode: null },
        { ...base, path: f.newPath, status: "added" as const, oldMode: null, newMode: "100644" },
      ];
    }
    const path = f.newPath ?? f.oldPath ?? "";
    const status: ChangeStatus =
      f.oldPath === null ? "added" : f.newPath === null ? "deleted" : "modified";
    return [
      {
        ...base,
        path,
        status: status,
        oldMode: f.oldPath === null ? null : "100644",
        newMode: f.newPath === null ? null : "100644",
      },
    ];
  });
  return { diff, files };
}

const checkText = (diff: string, policy?: Parameters<typeof checkPublish>[1]) =>
  checkPublish(textChange(diff), policy);
const assertText = (diff: string) => assertPublishable(textChange(diff));

/** A `git diff` of one new file with the given lines. */
function newFileDiff(file: string, lines: string[]): string {
  return [
    `diff --git a/${file} b/${file}`,
    "new file mode 100644",
    "index 0000000..1111111",
    "--- /dev/null",
    `+++ b/${file}`,
    `@@ -0,0 +1,${lines.length} @@`,
    ...lines.map((l) => `+${l}`),
    "",
  ].join("\n");
}

/** A `git diff` modifying one line of a file. */
function editDiff(file: string, before: string, after: string): string {
  return [
    `diff --git a/${file} b/${file}`,
    "index 1111111..2222222 100644",
    `--- a/${file}`,
    `+++ b/${file}`,
    "@@ -1,3 +1,3 @@",
    " context",
    `-${before}`,
    `+${after}`,
    " context",
    "",
  ].join("\n");
}

const FIX = editDiff("src/add.js", "return a - b;", "return a + b;");

describe("glob matching", () => {
  it.each([
    [".github/workflows/**", ".github/workflows/ci.yml", true],
    [".github/workflows/**", ".github/workflows/nested/deploy.yaml", true],
    [".github/workflows/**", ".GitHub/Workflows/ci.yml", true],
    [".github/workflows/**", ".github/dependabot.yml", false],
    ["**/CODEOWNERS", "CODEOWNERS", true],
    ["**/CODEOWNERS", "docs/CODEOWNERS", true],
    ["**/CODEOWNERS", "docs/CODEOWNERS.md", false],
    ["CODEOWNERS", "src/CODEOWNERS", false],
    ["src/*.js", "src/a.js", true],
    ["src/*.js", "src/a/b.js", false],
    ["*.{pem,key}", "server.key", true],
    ["deploy/?.sh", "deploy/a.sh", true],
    ["./infra/**", "infra/main.tf", true],
  ])("%s vs %s → %s", (glob, file, expected) => {
    expect(globToRegExp(glob).test(file)).toBe(expected);
  });

  it("returns the matching glob", () => {
    expect(matchGlobs("./docs/CODEOWNERS", DEFAULT_PROTECTED_PATHS)).toBe("**/CODEOWNERS");
    expect(matchGlobs("./.github/CODEOWNERS", DEFAULT_PROTECTED_PATHS)).toBe(".github/**");
    expect(matchGlobs("src/index.ts", DEFAULT_PROTECTED_PATHS)).toBeNull();
  });
});

describe("unified diff parsing", () => {
  it("finds paths and added lines of new, edited, deleted and renamed files", () => {
    const diff = [
      FIX,
      newFileDiff("docs/new.md", ["# New", "text"]),
      "diff --git a/old.txt b/old.txt",
      "deleted file mode 100644",
      "--- a/old.txt",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-gone",
      "diff --git a/.github/workflows/ci.yml b/ci-disabled.yml",
      "similarity index 100%",
      "rename from .github/workflows/ci.yml",
      "rename to ci-disabled.yml",
      "",
    ].join("\n");
    const files = parseUnifiedDiff(diff);
    expect(files.map((f) => [f.oldPath, f.newPath])).toEqual([
      ["src/add.js", "src/add.js"],
      [null, "docs/new.md"],
      ["old.txt", null],
      [".github/workflows/ci.yml", "ci-disabled.yml"],
    ]);
    expect(files[0]?.added).toEqual(["return a + b;"]);
    expect(files[1]?.added).toEqual(["# New", "text"]);
  });

  it("does not take added lines that look like headers for headers", () => {
    const diff = newFileDiff("notes.txt", ["++ b/CODEOWNERS", "-- a/x", "diff --git a/y b/y"]);
    const [file, ...rest] = parseUnifiedDiff(diff);
    expect(rest).toEqual([]);
    expect(file?.newPath).toBe("notes.txt");
    expect(file?.added).toHaveLength(3);
  });

  it("reads diffs without hunk headers (every line after the header counts)", () => {
    const files = parseUnifiedDiff(
      "--- a/x.txt\n+++ b/x.txt\n+one\n--- a/y.txt\n+++ b/y.txt\n+two\n",
    );
    expect(files).toEqual([
      { oldPath: "x.txt", newPath: "x.txt", added: ["one"] },
      { oldPath: "y.txt", newPath: "y.txt", added: ["two"] },
    ]);
  });
});

describe("publish guard", () => {
  it("lets an ordinary fix through", () => {
    expect(checkText(FIX)).toEqual([]);
    expect(() => assertText(FIX)).not.toThrow();
  });

  it.each([
    ".github/workflows/ci.yml",
    ".github/workflows/release/deploy.yml",
    "CODEOWNERS",
    ".github/CODEOWNERS",
    "docs/CODEOWNERS",
  ])("refuses a change to %s by default", (file) => {
    const violations = checkText(newFileDiff(file, ["x"]));
    expect(violations).toEqual([
      expect.objectContaining({
        kind: "protected_path",
        file,
        message: expect.stringContaining(file),
      }),
    ]);
  });

  it("refuses deleting or renaming a protected file away", () => {
    const deletion = [
      "diff --git a/CODEOWNERS b/CODEOWNERS",
      "deleted file mode 100644",
      "--- a/CODEOWNERS",
      "+++ /dev/null",
      "@@ -1 +0,0 @@",
      "-* @security",
      "",
    ].join("\n");
    expect(checkText(deletion).map((v) => v.file)).toEqual(["CODEOWNERS"]);
    const rename = [
      "diff --git a/.github/workflows/ci.yml b/old-ci.yml",
      "similarity index 100%",
      "rename from .github/workflows/ci.yml",
      "rename to old-ci.yml",
      "",
    ].join("\n");
    expect(checkText(rename).map((v) => v.file)).toEqual([".github/workflows/ci.yml"]);
  });

  it("uses the configured protected paths instead of the defaults", () => {
    const policy = { protectedPaths: ["infra/**"] };
    expect(checkText(newFileDiff("infra/main.tf", ["x"]), policy)).toHaveLength(1);
    expect(checkText(newFileDiff(".github/workflows/ci.yml", ["x"]), policy)).toEqual([]);
  });

  it("refuses a diff over the size limit", () => {
    const big = newFileDiff("src/big.js", ["x".repeat(2000)]);
    expect(checkText(big, { maxDiffBytes: 1000 })).toEqual([
      expect.objectContaining({
        kind: "diff_too_large",
        message: expect.stringContaining("MAX_DIFF_BYTES"),
      }),
    ]);
    expect(checkText(big, { maxDiffBytes: 10_000 })).toEqual([]);
  });

  const secrets: [string, string][] = [
    ["AWS access key id", "const id = 'AKIAIOSFODNN7EXAMPLE';"],
    ["AWS secret access key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
    ["GitHub token", `token: ghp_${"a1B2".repeat(9)}`],
    ["GitHub fine-grained token", `GITHUB_TOKEN=github_pat_11ABCDEFG0123456789_${"x".repeat(30)}`],
    ["private key", "-----BEGIN RSA PRIVATE KEY-----"],
    ["private key", "-----BEGIN OPENSSH PRIVATE KEY-----"],
    ["private key", "-----BEGIN PRIVATE KEY-----"],
    ["Slack token", "SLACK=xoxb-123456789012-abcdefghijkl"],
    ["API key or secret assignment", `const api_key = "abcdefghijklmnopqrstuvwx";`],
    ["API key or secret assignment", `secretKey: 'Zm9vYmFyYmF6cXV4cXV1eA=='`],
    ["OpenAI API key", `OPENAI_API_KEY=sk-proj-${"Ab9_".repeat(10)}`],
  ];
  it.each(secrets)("refuses an added %s", (name, line) => {
    const [violation, ...rest] = checkText(newFileDiff("src/config.js", ["ok", line]));
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({ kind: "secret", file: "src/config.js" });
    expect(violation?.message).toContain(name);
    // The refusal names the kind, never the value.
    expect(violation?.message).not.toContain(line);
  });

  it("ignores secrets on removed lines (removing a leaked key is a good change)", () => {
    expect(
      checkText(editDiff("src/config.js", "key: 'AKIAIOSFODNN7EXAMPLE'", "key: env.KEY")),
    ).toEqual([]);
  });

  it("does not mistake ordinary code for secrets", () => {
    const code = [
      "const apiKey = process.env.API_KEY;",
      "const secret_key = config.get('secret');",
      "// see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
      "export const TOKEN_PREFIX = 'ghp_';",
      "const hash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';",
    ];
    expect(checkText(newFileDiff("src/env.js", code))).toEqual([]);
  });

  it("refuses the server's own configured secret values without naming them", () => {
    const value = "jira-api-token-value-42";
    const violations = checkText(newFileDiff("env.txt", [`JIRA=${value}`]), {
      secretValues: [value, "short"],
    });
    expect(violations).toHaveLength(1);
    expect(violations[0]?.message).toContain("configured secret");
    expect(violations[0]?.message).not.toContain(value);
    // Values too short to be specific are ignored, not matched by chance.
    expect(checkText(newFileDiff("a.txt", ["short"]), { secretValues: ["short"] })).toEqual([]);
  });

  it("throws publish_refused naming every file", () => {
    const diff =
      newFileDiff(".github/workflows/ci.yml", ["on: push"]) +
      newFileDiff("leak.txt", ["-----BEGIN PRIVATE KEY-----"]);
    let caught: unknown;
    try {
      assertText(diff);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    const error = caught as AppError;
    expect(error.code).toBe("publish_refused");
    expect(error.message).toContain(".github/workflows/ci.yml");
    expect(error.message).toContain("leak.txt");
    expect(error.message).toContain("Nothing was pushed");
    expect(error.details).toHaveLength(2);
  });
});
