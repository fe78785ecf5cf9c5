import { execFileSync } from "node:child_process";
import { fixBranchName as branchName } from "../../../server/domain/tasks/branch-name.js";

function isValidBranch(name: string): boolean {
  try {
    execFileSync("git", ["check-ref-format", "--branch", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("branchName", () => {
  it("lower-cases the key and slugs the summary", () => {
    expect(branchName("CALC-12", "Division by zero crashes the app!")).toBe(
      "codex/calc-12-division-by-zero-crashes-the-app",
    );
  });

  it("keeps the slug to about 40 characters, cut at a word", () => {
    const name = branchName(
      "CALC-1",
      "The totals row shows NaN when a line item has an empty quantity field",
    );
    expect(name).toBe("codex/calc-1-the-totals-row-shows-nan-when-a-line");
    expect(name.length - "codex/calc-1-".length).toBeLessThanOrEqual(40);
  });

  it("folds accents and drops characters git refuses", () => {
    expect(branchName("WEB-7", "Crème brûlée: ~^:?*[\\ .. @{ x.lock")).toBe(
      "codex/web-7-creme-brulee-x-lock",
    );
  });

  it("falls back to the key alone when the summary has nothing usable", () => {
    expect(branchName("OPS-3", "🔥🔥 !!!")).toBe("codex/ops-3");
  });

  it.each([
    ["CALC-1", "Fix ../../etc/passwd"],
    ["A-1", "trailing dot."],
    ["B-2", "-leading dash"],
    ["C-3", "x".repeat(200)],
    ["D-4", "名前 with unicode ✓"],
  ])("produces a name git accepts for %s %s", (key, summary) => {
    expect(isValidBranch(branchName(key, summary))).toBe(true);
  });
});
