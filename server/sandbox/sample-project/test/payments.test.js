import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { availablePaymentMethods } from "../src/payments.js";

const ALL_ACTIVE = {
  card: { status: "active" },
  apple_pay: { status: "active" },
  google_pay: { status: "active" },
  paypal: { status: "active" },
};

describe("availablePaymentMethods", () => {
  it("offers every active method the device supports, in display order", () => {
    const methods = availablePaymentMethods(ALL_ACTIVE, { supportsApplePay: true });
    assert.deepEqual(methods, ["card", "apple_pay", "paypal"]);
  });

  it("hides methods PayFlow does not report as active", () => {
    const capabilities = {
      ...ALL_ACTIVE,
      apple_pay: { status: "pending_verification", reason: "domain_verification_expired" },
    };
    assert.deepEqual(availablePaymentMethods(capabilities, { supportsApplePay: true }), [
      "card",
      "paypal",
    ]);
  });

  it("always offers cards when active", () => {
    assert.deepEqual(availablePaymentMethods({ card: { status: "active" } }), ["card"]);
  });
});
