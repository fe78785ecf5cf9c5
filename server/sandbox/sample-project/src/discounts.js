/**
 * Coupons. A coupon is `{ code, type: "percent" | "fixed", value, minSpend?, expiresAt? }`;
 * `value` is a percentage for "percent" coupons and cents for "fixed" ones.
 */

/** The discount a coupon gives on a subtotal (cents), or 0 with the reason it does not apply. */
export function applyCoupon(subtotal, coupon, now = new Date()) {
  if (coupon.expiresAt && now > new Date(coupon.expiresAt)) {
    return { discount: 0, reason: "expired" };
  }
  if (coupon.minSpend && subtotal < coupon.minSpend) {
    return { discount: 0, reason: "min_spend" };
  }
  let discount;
  if (coupon.type === "percent") {
    discount = Math.round((subtotal * coupon.value) / 100);
  } else if (coupon.type === "fixed") {
    discount = coupon.value;
  } else {
    throw new Error(`Unknown coupon type: ${coupon.type}`);
  }
  return { discount, reason: null };
}

/** Normalizes a code as typed at checkout (" save15 " → "SAVE15"). */
export function normalizeCode(code) {
  return String(code).trim().toUpperCase();
}
