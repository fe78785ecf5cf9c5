/** Orders of this amount (cents) or more ship free within the US. */
export const FREE_SHIPPING_THRESHOLD = 5000;

/** Flat rates by destination country, in cents. */
const RATES = { US: 499, CA: 1299, MX: 1499 };

/** The shipping cost of an order worth `amount` cents after discounts. */
export function shippingCost(amount, country = "US") {
  if (amount <= 0) return 0;
  if (country === "US" && amount > FREE_SHIPPING_THRESHOLD) return 0;
  const rate = RATES[country];
  if (rate === undefined) throw new Error(`We do not ship to ${country}`);
  return rate;
}

/** How much more the customer must spend for free shipping (0 when they already qualify). */
export function amountToFreeShipping(amount) {
  return Math.max(0, FREE_SHIPPING_THRESHOLD - amount);
}
