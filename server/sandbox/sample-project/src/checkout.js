import { subtotal as cartSubtotal } from "./cart.js";
import { applyCoupon } from "./discounts.js";
import { shippingCost } from "./shipping.js";
import { computeTax } from "./tax.js";

/**
 * The totals of an order, in cents: what the checkout page shows and what is charged.
 * Discounts reduce the taxable amount; shipping is not taxed.
 */
export function orderTotals(cart, { region, country = "US", coupon = null, now = new Date() }) {
  const subtotal = cartSubtotal(cart);
  const { discount } = coupon ? applyCoupon(subtotal, coupon, now) : { discount: 0 };
  const tax = computeTax(subtotal, region);
  const shipping = shippingCost(subtotal - discount, country);
  return {
    subtotal,
    discount,
    tax,
    shipping,
    total: subtotal - discount + tax + shipping,
  };
}
