import type { Scenario } from "../scenario-kit.js";

/** SHOP-156: Apple Pay is gone because PayFlow's domain verification expired: not a code bug. */
export const shop156: Scenario = {
  ticketKey: "SHOP-156",
  testFile: "test/payments.test.js",
  investigate: [
    {
      reasoning: "Finding where checkout decides which payment methods to show.",
      command: 'grep -rn "apple_pay" src test',
    },
    {
      reasoning: "Reading the payment method selection.",
      command: "cat src/payments.js",
    },
    {
      reasoning:
        "Nothing was deployed on Monday according to the ticket; checking the history of this file.",
      command: "git log --format='%h %ad %an %s' --date=short -- src/payments.js",
    },
  ],
  confirmReasoning:
    "The code only offers capabilities PayFlow reports as active. Running the payment tests to make sure the selection itself works.",
  concludeReasoning:
    "The tests pass and the code behaves as designed: PayFlow reports Apple Pay as pending_verification because the domain verification expired. That is an account setting, not code.",
  analysis: {
    fixable: false,
    rootCause:
      'Checkout hides Apple Pay because PayFlow\'s capabilities endpoint reports it as "pending_verification" with reason "domain_verification_expired" for shop.acme.example. availablePaymentMethods() in src/payments.js correctly offers only active capabilities (its tests pass), and the code has not changed since Apple Pay was added.',
    plan: [
      "Renew the Apple Pay domain verification for shop.acme.example in the PayFlow dashboard (Settings → Wallets → Apple Pay → Verify domain)",
      "Host the new apple-developer-merchantid-domain-association file PayFlow provides under /.well-known/ on the web shop",
      "Confirm the capabilities endpoint reports apple_pay as active; the button comes back without a deploy",
    ],
    files: [],
    confidence: "high",
    notFixableReason:
      "This is a payment provider configuration issue: the Apple Pay domain verification for shop.acme.example expired in the PayFlow account. No code change in this repository can re-enable Apple Pay; someone with access to the PayFlow dashboard must renew the verification.",
  },
};
