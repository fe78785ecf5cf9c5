const SYMBOLS = { USD: "$", CAD: "CA$", EUR: "€", GBP: "£" };

/**
 * Formats an amount in cents for display: 1010 → "$10.10", -250 → "-$2.50".
 * Prices are always shown with two decimals, as on the receipt.
 */
export function formatMoney(cents, currency = "USD") {
  if (!Number.isInteger(cents)) throw new TypeError(`Amounts are integer cents, got ${cents}`);
  const symbol = SYMBOLS[currency] ?? `${currency} `;
  const sign = cents < 0 ? "-" : "";
  const amount = (Math.abs(cents) / 100).toLocaleString("en-US", {
    maximumFractionDigits: 2,
  });
  return `${sign}${symbol}${amount}`;
}

/** Parses a price typed by a person ("12.5", "$1,299.99") into cents. */
export function parseMoney(text) {
  const cleaned = String(text).replace(/[^0-9.-]/g, "");
  const value = Number(cleaned);
  if (cleaned === "" || Number.isNaN(value)) throw new TypeError(`Not an amount: ${text}`);
  return Math.round(value * 100);
}
