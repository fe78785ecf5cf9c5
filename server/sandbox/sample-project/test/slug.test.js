import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { productPath, slugify } from "../src/slug.js";

describe("slugify", () => {
  it("makes lower-case, dash-separated slugs", () => {
    assert.equal(slugify("Classic Tee (Black)"), "classic-tee-black");
  });

  it("keeps accented letters as their plain form", () => {
    assert.equal(slugify("Crème Brûlée Mug"), "creme-brulee-mug");
    assert.equal(slugify("Café Noir — 12 oz"), "cafe-noir-12-oz");
  });
});

describe("productPath", () => {
  it("ends with the product id", () => {
    assert.equal(productPath({ id: 42, name: "Piñata Socks" }), "/products/pinata-socks-42");
  });
});
