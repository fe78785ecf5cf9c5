import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addBusinessDays, estimateDelivery } from "../src/delivery.js";

// June 2025: the 13th is a Friday, the 14th and 15th a weekend.
const day = (iso) => new Date(iso).toISOString().slice(0, 10);

describe("estimateDelivery", () => {
  it("never promises a Saturday or Sunday", () => {
    assert.equal(day(estimateDelivery(new Date("2025-06-12T10:00:00Z"))), "2025-06-16");
  });

  it("delivers express orders placed on a Friday on Monday", () => {
    assert.equal(day(estimateDelivery(new Date("2025-06-13T09:00:00Z"), "express")), "2025-06-16");
  });

  it("ships orders placed after the 15:00 UTC cut-off the next business day", () => {
    assert.equal(day(estimateDelivery(new Date("2025-06-10T16:30:00Z"))), "2025-06-13");
  });

  it("dispatches orders placed at the weekend on Monday", () => {
    assert.equal(day(estimateDelivery(new Date("2025-06-14T10:00:00Z"))), "2025-06-18");
  });
});

describe("addBusinessDays", () => {
  it("skips the weekend", () => {
    assert.equal(day(addBusinessDays(new Date("2025-06-13T12:00:00Z"), 1)), "2025-06-16");
  });
});
