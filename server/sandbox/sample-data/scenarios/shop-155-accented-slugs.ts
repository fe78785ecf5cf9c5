import type { Scenario } from "../scenario-kit.js";

/** SHOP-155: accented letters are dropped from product URLs. */
export const shop155: Scenario = {
  ticketKey: "SHOP-155",
  testFile: "test/slug.test.js",
  investigate: [
    {
      reasoning: "Reading the slug function.",
      command: "cat src/slug.js",
    },
    {
      reasoning: "Checking for other places that build product URLs.",
      command: 'grep -rnE "slugify|/products/" src',
    },
  ],
  confirmReasoning:
    "Every character outside [a-z0-9] becomes a dash, accented letters included. Running the slug tests.",
  concludeReasoning: "Decomposing to NFKD and dropping the combining marks keeps the base letters.",
  analysis: {
    fixable: true,
    rootCause:
      'slugify() in src/slug.js replaces every character outside [a-z0-9] with a dash, including accented letters, so "Crème Brûlée Mug" becomes "cr-me-br-l-e-mug". It needs to strip the accents (Unicode NFKD decomposition, then drop the combining marks) before that replacement.',
    plan: [
      "Normalize to NFKD and remove combining marks in slugify() before replacing other characters",
      "Run the slug tests",
    ],
    files: ["src/slug.js"],
    confidence: "high",
    notFixableReason: null,
  },
  fix: {
    reasoning:
      "Two chained calls at the start of slugify(); productPath() uses it, so both are fixed.",
    patch: [
      "*** Begin Patch",
      "*** Update File: src/slug.js",
      "@@",
      "   return String(name)",
      '+    .normalize("NFKD")',
      '+    .replace(/[\\u0300-\\u036f]/g, "")',
      "     .toLowerCase()",
      "*** End Patch",
    ].join("\n"),
    passed:
      '`slugify()` now strips accents before building the slug (NFKD normalization, combining marks removed; src/slug.js): "Crème Brûlée Mug" → `creme-brulee-mug`, "Piñata Socks" → `pinata-socks`. `npm test -- test/slug.test.js` passes. Existing product URLs will change, so SEO may want redirects from the old slugs.',
  },
};
