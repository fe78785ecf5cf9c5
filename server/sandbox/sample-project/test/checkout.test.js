import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addItem, createCart } from "../src/cart.js";
import { orderTotals } from "../src/checkout.js";

const NOW = new Date("2025-06-10T12:00:00Z");

function cartOf(...items) {
  const cart = createCart();
  for (const [product, quantity] of items) addItem(cart, product, quantity);
  return cart;
}

const HOODIE = { sku: "HOOD-GRY-L", name: "Zip Hoodie (Grey, L)", price: 6400 };
const MUG = { sku: "MUG-01", name: "Logo Mug", price: 1600 };

describe("orderTotals", () => {
  it("adds tax and shipping", () => {
    const totals = orderTotals(cartOf([MUG, 1]), { region: "US-CA", now: NOW });
    assert.deepEqual(totals, { subtotal: 1600, discount: 0, tax: 116, shipping: 499, total: 2215 });
  });

  it("taxes the discounted amount, not the list price", () => {
    const coupon = { code: "SAVE25", type: "percent", value: 25 };
    const totals = orderTotals(cartOf([HOODIE, 1], [MUG, 1]), {
      region: "US-CA",
      coupon,
      now: NOW,
    });
    // 8000 - 2000 = 6000 taxable; 7.25 % of 6000 = 435; free shipping above $50.
    assert.deepEqual(totals, {
      subtotal: 8000,
      discount: 2000,
      tax: 435,
      shipping: 0,
      total: 6435,
    });
  });

  it("taxes nothing in Oregon", () => {
    const totals = orderTotals(cartOf([HOODIE, 1]), { region: "US-OR", now: NOW });
    assert.equal(totals.tax, 0);
  });
});
