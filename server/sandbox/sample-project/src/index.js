export { formatMoney, parseMoney } from "./money.js";
export { addItem, createCart, itemCount, removeItem, setQuantity, subtotal } from "./cart.js";
export { applyCoupon, normalizeCode } from "./discounts.js";
export { computeTax, taxRate } from "./tax.js";
export { FREE_SHIPPING_THRESHOLD, amountToFreeShipping, shippingCost } from "./shipping.js";
export { orderTotals } from "./checkout.js";
export { addBusinessDays, dispatchDate, estimateDelivery } from "./delivery.js";
export { productPath, slugify } from "./slug.js";
export { availablePaymentMethods } from "./payments.js";
