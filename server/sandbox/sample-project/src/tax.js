/** Sales tax rates by region (state-level only; local surtaxes are not collected online). */
const RATES = {
  "US-CA": 0.0725,
  "US-NY": 0.04,
  "US-OR": 0,
  "US-TX": 0.0625,
  "US-WA": 0.065,
};

/** The tax rate of a region such as "US-CA". */
export function taxRate(region) {
  const rate = RATES[region];
  if (rate === undefined) throw new Error(`No tax rate for region ${region}`);
  return rate;
}

/** The tax on a taxable amount (cents), rounded to the cent. */
export function computeTax(amount, region) {
  return Math.round(amount * taxRate(region));
}
