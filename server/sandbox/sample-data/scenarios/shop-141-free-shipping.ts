import type { Scenario } from "../scenario-kit.js";

/** SHOP-141: free shipping starts above $50.00 instead of at $50.00. */
export const shop141: Scenario = {
  ticketKey: "SHOP-141",
  testFile: "test/shipping.test.js",
  investigate: [
    {
      reasoning: "Looking for the free-shipping threshold.",
      command: 'grep -rn "FREE_SHIPPING_THRESHOLD" src test',
    },
    {
      reasoning: "Reading the shipping rules.",
      command: "cat src/shipping.js",
    },
  ],
  confirmReasoning:
    "The comparison is `amount > FREE_SHIPPING_THRESHOLD`, which excludes exactly $50.00. Running the shipping tests.",
  concludeReasoning: 'An off-by-one in the comparison: the banner says "$50 or more".',
  analysis: {
    fixable: true,
    rootCause:
      'shippingCost() in src/shipping.js grants free shipping only when the amount is strictly greater than FREE_SHIPPING_THRESHOLD (5000 cents), so an order of exactly $50.00 is charged $4.99, contradicting "free shipping on orders of $50 or more".',
    plan: [
      "Use >= instead of > for the free-shipping threshold in shippingCost()",
      "Run the shipping tests",
    ],
    files: ["src/shipping.js"],
    confidence: "high",
    notFixableReason: null,
  },
  fix: {
    reasoning:
      "A one-character change; amountToFreeShipping() already treats $50.00 as qualifying.",
    patch: [
      "*** Begin Patch",
      "*** Update File: src/shipping.js",
      "@@",
      "   if (amount <= 0) return 0;",
      '-  if (country === "US" && amount > FREE_SHIPPING_THRESHOLD) return 0;',
      '+  if (country === "US" && amount >= FREE_SHIPPING_THRESHOLD) return 0;',
      "   const rate = RATES[country];",
      "*** End Patch",
    ].join("\n"),
    passed:
      "Orders of exactly $50.00 now ship free within the US: `shippingCost()` compares with `>=` (src/shipping.js), matching the banner and `amountToFreeShipping()`. `npm test -- test/shipping.test.js` passes.",
  },
};
