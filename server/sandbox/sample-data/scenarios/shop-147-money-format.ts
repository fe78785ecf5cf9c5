import type { Scenario } from "../scenario-kit.js";

/** SHOP-147: prices lose their trailing zeros ("$10.1", "$12"). */
export const shop147: Scenario = {
  ticketKey: "SHOP-147",
  testFile: "test/money.test.js",
  investigate: [
    {
      reasoning: "Finding the price formatter.",
      command: 'grep -rn "export function formatMoney" src',
    },
    {
      reasoning: "Reading formatMoney().",
      command: "sed -n '1,20p' src/money.js",
    },
  ],
  confirmReasoning:
    "toLocaleString() is given only maximumFractionDigits, so zeros are dropped. Running the money tests.",
  concludeReasoning:
    "One option is missing from the number format; the same path handles negative amounts.",
  analysis: {
    fixable: true,
    rootCause:
      'formatMoney() in src/money.js formats with toLocaleString("en-US", { maximumFractionDigits: 2 }) without a minimum, so trailing zeros are dropped: 1010 cents becomes "$10.1" and 1200 becomes "$12". Refunds (negative amounts) go through the same code.',
    plan: [
      "Add minimumFractionDigits: 2 to the number format in formatMoney()",
      "Run the money tests",
    ],
    files: ["src/money.js"],
    confidence: "high",
    notFixableReason: null,
  },
  fix: {
    reasoning: "Setting both fraction-digit options pins prices to two decimals.",
    patch: [
      "*** Begin Patch",
      "*** Update File: src/money.js",
      "@@",
      '   const amount = (Math.abs(cents) / 100).toLocaleString("en-US", {',
      "+    minimumFractionDigits: 2,",
      "     maximumFractionDigits: 2,",
      "   });",
      "*** End Patch",
    ].join("\n"),
    passed:
      "`formatMoney()` now always shows two decimals (`minimumFractionDigits: 2` in src/money.js): $10.10, $12.00, -$2.50, €5.00. `npm test -- test/money.test.js` passes.",
  },
};
