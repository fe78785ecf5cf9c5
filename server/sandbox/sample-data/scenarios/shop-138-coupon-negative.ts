import type { Scenario } from "../scenario-kit.js";

/** SHOP-138: a fixed coupon larger than the cart makes the total negative. */
export const shop138: Scenario = {
  ticketKey: "SHOP-138",
  testFile: "test/discounts.test.js",
  investigate: [
    {
      reasoning:
        "The total is subtotal minus discount, so the discount must exceed the subtotal. Finding where coupons are applied.",
      command: 'grep -rn "applyCoupon" src',
    },
    {
      reasoning: "Reading the coupon rules.",
      command: "cat src/discounts.js",
    },
    {
      reasoning: "Checking how checkout uses the discount.",
      command: "sed -n '1,25p' src/checkout.js",
    },
  ],
  confirmReasoning:
    "Fixed coupons return their face value whatever the subtotal. Running the coupon tests to confirm.",
  concludeReasoning:
    "Confirmed: a $20.00 coupon on a $12.00 cart discounts $20.00. Capping it at the subtotal fixes every caller.",
  analysis: {
    fixable: true,
    rootCause:
      "applyCoupon() in src/discounts.js returns a fixed coupon's full value as the discount, even when it exceeds the subtotal. orderTotals() subtracts it as is, so a $20.00 coupon on a $12.00 cart yields a negative total, which PayFlow rejects.",
    plan: [
      "Cap fixed-amount discounts at the subtotal in applyCoupon()",
      "Keep percentage coupons unchanged (they cannot exceed 100 %)",
      "Run the coupon tests",
    ],
    files: ["src/discounts.js"],
    confidence: "high",
    notFixableReason: null,
  },
  fix: {
    reasoning: "Capping the fixed discount with Math.min keeps checkout's arithmetic unchanged.",
    patch: [
      "*** Begin Patch",
      "*** Update File: src/discounts.js",
      "@@",
      '   } else if (coupon.type === "fixed") {',
      "-    discount = coupon.value;",
      "+    // A gift coupon can be worth more than a small order; it must not make the total negative.",
      "+    discount = Math.min(coupon.value, subtotal);",
      "   } else {",
      "*** End Patch",
    ].join("\n"),
    passed:
      'Fixed-amount coupons are now capped at the subtotal in `applyCoupon()` (src/discounts.js), so an order can no longer go negative: a $20.00 coupon on a $12.00 cart discounts $12.00 and only tax and shipping are charged. `npm test -- test/discounts.test.js` passes, including "never discounts more than the subtotal".',
  },
};
