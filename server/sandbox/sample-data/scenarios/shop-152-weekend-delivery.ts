import type { Scenario } from "../scenario-kit.js";

/**
 * SHOP-152: delivery estimates land on Saturdays. The first fix handles the business-day
 * count only; the test for weekend orders still fails, the pull request stays a draft,
 * and an engineer's follow-up gets the dispatch rule fixed too.
 */
export const shop152: Scenario = {
  ticketKey: "SHOP-152",
  testFile: "test/delivery.test.js",
  investigate: [
    {
      reasoning: "Reading how delivery estimates are computed.",
      command: "cat src/delivery.js",
    },
    {
      reasoning: "Checking what the tests expect around weekends.",
      command: "sed -n '1,30p' test/delivery.test.js",
    },
  ],
  confirmReasoning:
    "addBusinessDays() only skips Sundays (getUTCDay() !== 0), so Saturdays count as business days. Running the delivery tests.",
  concludeReasoning:
    "The Saturday counting explains the ticket's main symptom; fixing the weekday check in addBusinessDays().",
  analysis: {
    fixable: true,
    rootCause:
      "addBusinessDays() in src/delivery.js treats every day except Sunday as a business day (getUTCDay() !== 0), so Saturday is counted: an order on Thursday with 2 business days of transit is estimated for Saturday.",
    plan: [
      "Add an isWeekend() helper (Saturday or Sunday, UTC)",
      "Skip weekend days in addBusinessDays()",
      "Run the delivery tests",
    ],
    files: ["src/delivery.js"],
    confidence: "medium",
    notFixableReason: null,
  },
  fix: {
    reasoning: "Adding isWeekend() and using it in the business-day loop.",
    patch: [
      "*** Begin Patch",
      "*** Update File: src/delivery.js",
      "@@",
      " const TRANSIT_DAYS = { standard: 2, express: 1 };",
      " ",
      "+/** Saturday or Sunday (UTC): the carrier does not deliver and the warehouse does not ship. */",
      "+export function isWeekend(date) {",
      "+  const weekday = date.getUTCDay();",
      "+  return weekday === 0 || weekday === 6;",
      "+}",
      "+",
      " /**",
      "@@",
      "     date.setUTCDate(date.getUTCDate() + 1);",
      "-    if (date.getUTCDay() !== 0) added++;",
      "+    if (!isWeekend(date)) added++;",
      "   }",
      "*** End Patch",
    ].join("\n"),
    passed:
      "`addBusinessDays()` now skips Saturdays as well as Sundays (src/delivery.js, new `isWeekend()` helper). `npm test -- test/delivery.test.js` passes.",
    failed: (failures) =>
      [
        "`addBusinessDays()` now skips Saturdays as well as Sundays (src/delivery.js, new `isWeekend()` helper), so estimates no longer fall on a weekend.",
        "",
        `\`npm test -- test/delivery.test.js\` still fails:`,
        "",
        ...(failures.length > 0
          ? failures
          : ["dispatches orders placed at the weekend on Monday"]
        ).map((name) => `- ${name}`),
        "",
        "That test expects an order placed on a Saturday to leave the warehouse on Monday. `dispatchDate()` only moves orders placed after the 15:00 cut-off, so weekend orders are counted from the weekend day itself. This matches the support comment on the ticket, but it changes when the warehouse is assumed to ship, so I left it for an engineer to confirm.",
      ].join("\n"),
  },
  followUp: {
    reasoning:
      "Weekend orders must be dispatched the next business day, like orders after the cut-off.",
    patch: [
      "*** Begin Patch",
      "*** Update File: src/delivery.js",
      "@@",
      " export function dispatchDate(orderedAt) {",
      "-  if (orderedAt.getUTCHours() >= CUTOFF_HOUR_UTC) return addBusinessDays(orderedAt, 1);",
      "+  // The warehouse ships neither at the weekend nor after the cut-off: the next business day.",
      "+  if (isWeekend(orderedAt) || orderedAt.getUTCHours() >= CUTOFF_HOUR_UTC) {",
      "+    return addBusinessDays(orderedAt, 1);",
      "+  }",
      "   return new Date(orderedAt.getTime());",
      "*** End Patch",
    ].join("\n"),
    passed:
      "`dispatchDate()` now moves orders placed at the weekend to the next business day, like orders after the cut-off (src/delivery.js). An order placed on Saturday is dispatched on Monday and, with standard shipping, delivered on Wednesday. `npm test -- test/delivery.test.js` passes.",
  },
};
