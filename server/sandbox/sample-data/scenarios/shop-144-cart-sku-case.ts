import type { Scenario } from "../scenario-kit.js";

/** SHOP-144: lower-case SKUs from the mobile app create duplicate cart lines. */
export const shop144: Scenario = {
  ticketKey: "SHOP-144",
  testFile: "test/cart.test.js",
  investigate: [
    {
      reasoning: "The ticket points at SKU case. Reading the cart code.",
      command: "cat src/cart.js",
    },
    {
      reasoning: "Checking which cart functions normalize SKUs.",
      command: 'grep -nE "normalizeSku|line.sku ===" src/cart.js',
    },
  ],
  confirmReasoning:
    "addItem() stores the normalized SKU but looks lines up with the raw one. Running the cart tests.",
  concludeReasoning:
    "removeItem() and setQuantity() normalize before comparing; addItem() does not.",
  analysis: {
    fixable: true,
    rootCause:
      "addItem() in src/cart.js stores each line's SKU upper-cased (normalizeSku) but searches for an existing line with the SKU as given. The mobile app sends lower-case SKUs, so the lookup never matches and every add creates a new line. removeItem() and setQuantity() already normalize, which is why removing one line removes both.",
    plan: [
      "Normalize the SKU once at the top of addItem() and use it for both the lookup and the new line",
      "Run the cart tests",
    ],
    files: ["src/cart.js"],
    confidence: "high",
    notFixableReason: null,
  },
  fix: {
    reasoning: "Normalizing once at the top of addItem() makes it consistent with removeItem().",
    patch: [
      "*** Begin Patch",
      "*** Update File: src/cart.js",
      "@@",
      "   }",
      "-  const existing = cart.lines.find((line) => line.sku === product.sku);",
      "+  const sku = normalizeSku(product.sku);",
      "+  const existing = cart.lines.find((line) => line.sku === sku);",
      "   if (existing) {",
      "@@",
      "   cart.lines.push({",
      "-    sku: normalizeSku(product.sku),",
      "+    sku,",
      "     name: product.name,",
      "*** End Patch",
    ].join("\n"),
    passed:
      "`addItem()` now normalizes the SKU before looking for an existing line (src/cart.js), so `tee-blk-m` and `TEE-BLK-M` land on the same line with the quantities added up, as `removeItem()` and `setQuantity()` already assumed. `npm test -- test/cart.test.js` passes.",
  },
};
