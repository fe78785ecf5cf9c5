import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyCoupon, normalizeCode } from "../src/discounts.js";

const NOW = new Date("2025-06-10T12:00:00Z");

describe("applyCoupon", () => {
  it("takes a percentage off", () => {
    assert.deepEqual(applyCoupon(8000, { code: "SAVE15", type: "percent", value: 15 }, NOW), {
      discount: 1200,
      reason: null,
    });
  });

  it("takes a fixed amount off", () => {
    const coupon = { code: "WELCOME10", type: "fixed", value: 1000 };
    assert.equal(applyCoupon(4500, coupon, NOW).discount, 1000);
  });

  it("never discounts more than the subtotal", () => {
    const coupon = { code: "GIFT20", type: "fixed", value: 2000 };
    assert.equal(applyCoupon(1200, coupon, NOW).discount, 1200);
  });

  it("ignores expired coupons", () => {
    const coupon = {
      code: "SPRING",
      type: "percent",
      value: 20,
      expiresAt: "2025-05-31T23:59:59Z",
    };
    assert.deepEqual(applyCoupon(8000, coupon, NOW), { discount: 0, reason: "expired" });
  });

  it("enforces the minimum spend", () => {
    const coupon = { code: "BIG", type: "fixed", value: 1500, minSpend: 10000 };
    assert.deepEqual(applyCoupon(9999, coupon, NOW), { discount: 0, reason: "min_spend" });
  });
});

describe("normalizeCode", () => {
  it("trims and upper-cases", () => {
    assert.equal(normalizeCode(" save15 "), "SAVE15");
  });
});
