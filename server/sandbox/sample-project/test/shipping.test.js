import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { amountToFreeShipping, shippingCost } from "../src/shipping.js";

describe("shippingCost", () => {
  it("charges the flat US rate below the threshold", () => {
    assert.equal(shippingCost(4999, "US"), 499);
  });

  it("ships free at exactly $50.00, as the banner promises", () => {
    assert.equal(shippingCost(5000, "US"), 0);
  });

  it("ships free above the threshold", () => {
    assert.equal(shippingCost(12000, "US"), 0);
  });

  it("charges international rates whatever the amount", () => {
    assert.equal(shippingCost(12000, "CA"), 1299);
  });

  it("charges nothing for an empty cart", () => {
    assert.equal(shippingCost(0, "US"), 0);
  });

  it("refuses countries it does not ship to", () => {
    assert.throws(() => shippingCost(2000, "FR"), /do not ship to FR/);
  });
});

describe("amountToFreeShipping", () => {
  it("says how much is missing", () => {
    assert.equal(amountToFreeShipping(4200), 800);
    assert.equal(amountToFreeShipping(5000), 0);
  });
});
