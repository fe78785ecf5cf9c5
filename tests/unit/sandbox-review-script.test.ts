import { PullRequestReviewSchema } from "../../shared/review.js";
import { scriptedReview } from "../../server/sandbox/sample-data/review-script.js";
import type { ScriptContext } from "../../server/sandbox/scripted-model/index.js";

function review(prompt: string) {
  return PullRequestReviewSchema.parse(
    scriptedReview({ firstUserMessage: prompt } as ScriptContext),
  );
}

const header =
  "Review pull request #7 of acme/storefront.\nTitle: SHOP-141: Free shipping at $50\n";

describe("the sandbox's scripted reviewer", () => {
  it("follows the diff it was given: files, size and tests", () => {
    const result = review(
      header +
        "```diff\ndiff --git a/src/shipping.js b/src/shipping.js\n--- a/src/shipping.js\n+++ b/src/shipping.js\n-  if (a > b)\n+  if (a >= b)\n" +
        "diff --git a/test/shipping.test.js b/test/shipping.test.js\n+++ b/test/shipping.test.js\n+test('50', () => {});\n```",
    );
    expect(result).toMatchObject({
      pr_number: 7,
      title: "SHOP-141: Free shipping at $50",
      risk_level: "low",
    });
    expect(result.summary).toContain("2 file(s) changed (+2 −1)");
    expect(result.test_notes).toContain("test/shipping.test.js");
    expect(result.security_concerns).toEqual([]);
  });

  it("flags untested changes as medium and eval or credentials as high", () => {
    expect(review(header + "diff --git a/src/a.js b/src/a.js\n+x = 1\n").risk_level).toBe("medium");
    const risky = review(
      header + "diff --git a/src/a.js b/src/a.js\n+const r = eval(input);\n+api_key = 'x'\n",
    );
    expect(risky.risk_level).toBe("high");
    expect(risky.security_concerns).toEqual([
      "Adds a call to eval()",
      "Adds what looks like a credential",
    ]);
  });
});
