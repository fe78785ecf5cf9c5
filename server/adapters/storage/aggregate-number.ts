/**
 * An aggregate read back as a number: PostgreSQL returns bigint and numeric as strings,
 * and an aggregate over no rows is null, which counts as 0.
 */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
