/** Orders placed at or after this hour (UTC) leave the warehouse the next business day. */
export const CUTOFF_HOUR_UTC = 15;

/** Business days in transit by shipping method. */
const TRANSIT_DAYS = { standard: 2, express: 1 };

/**
 * Adds business days (Monday to Friday) to a date. The start day itself does not count,
 * so Friday + 1 business day is the next Monday.
 */
export function addBusinessDays(start, days) {
  const date = new Date(start.getTime());
  let added = 0;
  while (added < days) {
    date.setUTCDate(date.getUTCDate() + 1);
    if (date.getUTCDay() !== 0) added++;
  }
  return date;
}

/** The day an order leaves the warehouse. */
export function dispatchDate(orderedAt) {
  if (orderedAt.getUTCHours() >= CUTOFF_HOUR_UTC) return addBusinessDays(orderedAt, 1);
  return new Date(orderedAt.getTime());
}

/** The estimated delivery date shown at checkout and in the confirmation email. */
export function estimateDelivery(orderedAt, method = "standard") {
  const days = TRANSIT_DAYS[method];
  if (days === undefined) throw new Error(`Unknown shipping method: ${method}`);
  return addBusinessDays(dispatchDate(orderedAt), days);
}
