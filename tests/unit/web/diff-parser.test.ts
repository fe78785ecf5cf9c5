import { describe, expect, it } from "vitest";
import { parseUnifiedDiff } from "../../../web/src/lib/diff.js";

describe("parseUnifiedDiff", () => {
  it("splits files and hunks and numbers the lines", () => {
    const files = parseUnifiedDiff(
      [
        "diff --git a/a.ts b/a.ts",
        "index 1..2 100644",
        "--- a/a.ts",
        "+++ b/a.ts",
        "@@ -3,3 +3,3 @@ function f() {",
        " keep",
        "-old",
        "+new",
        " tail",
        "\\ No newline at end of file",
        "diff --git a/old.ts b/new.ts",
        "similarity index 90%",
        "rename from old.ts",
        "rename to new.ts",
        "diff --git a/gone.ts b/gone.ts",
        "deleted file mode 100644",
        "--- a/gone.ts",
        "+++ /dev/null",
        "@@ -1 +0,0 @@",
        "-bye",
        "diff --git a/img.png b/img.png",
        "Binary files a/img.png and b/img.png differ",
        "",
      ].join("\n"),
    );
    expect(files.map((f) => [f.path, f.status, f.additions, f.deletions, f.binary])).toEqual([
      ["a.ts", "modified", 1, 1, false],
      ["new.ts", "renamed", 0, 0, false],
      ["gone.ts", "deleted", 0, 1, false],
      ["img.png", "modified", 0, 0, true],
    ]);
    const lines = files[0]!.hunks[0]!.lines;
    expect(lines.map((l) => [l.kind, l.text, l.oldNumber, l.newNumber])).toEqual([
      ["context", "keep", 3, 3],
      ["del", "old", 4, null],
      ["add", "new", null, 4],
      ["context", "tail", 5, 5],
      ["note", "\\ No newline at end of file", null, null],
    ]);
    expect(files[2]!.path).toBe("gone.ts");
  });

  it("returns nothing for an empty diff", () => {
    expect(parseUnifiedDiff("")).toEqual([]);
  });

  it("keeps markup as text", () => {
    const [file] = parseUnifiedDiff(
      "--- a/x.html\n+++ b/x.html\n@@ -0,0 +1 @@\n+<script>x</script>\n",
    );
    expect(file?.hunks[0]?.lines[0]?.text).toBe("<script>x</script>");
    expect(file?.path).toBe("x.html");
  });
});
