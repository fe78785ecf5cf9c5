import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { addItem, createCart, itemCount, removeItem, setQuantity, subtotal } from "../src/cart.js";

const TEE = { sku: "TEE-BLK-M", name: "Classic Tee (Black, M)", price: 1800, category: "apparel" };

describe("cart", () => {
  it("adds up the lines", () => {
    const cart = createCart();
    addItem(cart, TEE, 2);
    addItem(cart, { sku: "MUG-01", name: "Logo Mug", price: 1250 });
    assert.equal(subtotal(cart), 4850);
    assert.equal(itemCount(cart), 3);
  });

  it("raises the quantity when the same SKU is added again", () => {
    const cart = createCart();
    addItem(cart, TEE);
    addItem(cart, TEE);
    assert.equal(cart.lines.length, 1);
    assert.equal(cart.lines[0].quantity, 2);
  });

  it("treats SKUs case-insensitively, as the mobile app sends them lower-case", () => {
    const cart = createCart();
    addItem(cart, { ...TEE, sku: "tee-blk-m" });
    addItem(cart, { ...TEE, sku: "tee-blk-m" });
    addItem(cart, TEE);
    assert.equal(cart.lines.length, 1);
    assert.equal(cart.lines[0].quantity, 3);
  });

  it("removes and updates lines by SKU", () => {
    const cart = createCart();
    addItem(cart, TEE, 3);
    setQuantity(cart, "tee-blk-m", 1);
    assert.equal(itemCount(cart), 1);
    removeItem(cart, "tee-blk-m");
    assert.equal(cart.lines.length, 0);
  });

  it("rejects quantities that are not positive integers", () => {
    assert.throws(() => addItem(createCart(), TEE, 0), RangeError);
  });
});
