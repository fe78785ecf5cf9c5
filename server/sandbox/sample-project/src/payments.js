/** Payment methods in the order checkout shows them. */
const DISPLAY_ORDER = ["card", "apple_pay", "google_pay", "paypal"];

/**
 * The payment methods checkout offers. Which methods exist is decided per merchant account
 * in the PayFlow dashboard and reported by PayFlow's capabilities endpoint
 * (`GET /v2/account/capabilities`); only capabilities with status "active" are offered.
 * Wallets also need the customer's device to support them.
 */
export function availablePaymentMethods(capabilities, device = {}) {
  return DISPLAY_ORDER.filter((method) => {
    const capability = capabilities[method];
    if (!capability || capability.status !== "active") return false;
    if (method === "apple_pay") return device.supportsApplePay === true;
    if (method === "google_pay") return device.supportsGooglePay === true;
    return true;
  });
}
