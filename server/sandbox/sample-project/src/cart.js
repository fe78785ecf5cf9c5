/**
 * The shopping cart: one line per SKU with a quantity. SKUs are stored upper-case
 * because the catalogue is; the mobile app sends them as the customer typed or scanned.
 */

/** An empty cart. */
export function createCart() {
  return { lines: [] };
}

function normalizeSku(sku) {
  return String(sku).trim().toUpperCase();
}

/** Adds `quantity` of a product; a SKU already in the cart gets its quantity raised. */
export function addItem(cart, product, quantity = 1) {
  if (!Number.isInteger(quantity) || quantity <= 0) {
    throw new RangeError(`Quantity must be a positive integer, got ${quantity}`);
  }
  const existing = cart.lines.find((line) => line.sku === product.sku);
  if (existing) {
    existing.quantity += quantity;
    return cart;
  }
  cart.lines.push({
    sku: normalizeSku(product.sku),
    name: product.name,
    unitPrice: product.price,
    category: product.category ?? "general",
    quantity,
  });
  return cart;
}

/** Removes a SKU's line. */
export function removeItem(cart, sku) {
  const wanted = normalizeSku(sku);
  cart.lines = cart.lines.filter((line) => line.sku !== wanted);
  return cart;
}

/** Sets a line's quantity; 0 removes the line. */
export function setQuantity(cart, sku, quantity) {
  if (quantity === 0) return removeItem(cart, sku);
  const line = cart.lines.find((l) => l.sku === normalizeSku(sku));
  if (!line) throw new Error(`${sku} is not in the cart`);
  line.quantity = quantity;
  return cart;
}

/** The sum of the lines, in cents. */
export function subtotal(cart) {
  return cart.lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
}

/** How many items the cart badge shows. */
export function itemCount(cart) {
  return cart.lines.reduce((count, line) => count + line.quantity, 0);
}
