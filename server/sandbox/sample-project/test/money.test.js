import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatMoney, parseMoney } from "../src/money.js";

describe("formatMoney", () => {
  it("always shows two decimals", () => {
    assert.equal(formatMoney(1010), "$10.10");
    assert.equal(formatMoney(1200), "$12.00");
  });

  it("groups thousands", () => {
    assert.equal(formatMoney(123456), "$1,234.56");
  });

  it("puts the sign before the symbol", () => {
    assert.equal(formatMoney(-250), "-$2.50");
  });

  it("uses the currency's symbol", () => {
    assert.equal(formatMoney(500, "EUR"), "€5.00");
  });
});

describe("parseMoney", () => {
  it("reads what people type", () => {
    assert.equal(parseMoney("12.5"), 1250);
    assert.equal(parseMoney("$1,299.99"), 129999);
  });
});
