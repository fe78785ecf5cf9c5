/**
 * One bucket of a duration histogram (migration 0014's log buckets) around a median:
 * `before` values lie in lower buckets, `count` in this one, `total` in the whole group.
 */
export interface MedianBucket {
  bucket: number;
  count: number;
  before: number;
  total: number;
}

/** The bounds [low, high) of a bucket in milliseconds: bucket 0 is 0 ms exactly. */
export function bucketBounds(bucket: number): [number, number] {
  return bucket === 0 ? [0, 0] : [Math.exp((bucket - 1) / 10), Math.exp(bucket / 10)];
}

/**
 * The `rank`-th (1-based) smallest value estimated from the bucket holding it: the
 * bucket's ranks spread evenly over its bounds, each at the middle of its share. The
 * value is in the same bucket, so the estimate is off by less than the bucket's width,
 * e^0.1 - 1 ≈ 10.5 % of the value.
 */
function valueAtRank(buckets: readonly MedianBucket[], rank: number): number {
  const holding = buckets.find((b) => b.before < rank && rank <= b.before + b.count);
  if (holding === undefined) throw new Error(`no histogram bucket holds rank ${rank}`);
  const [low, high] = bucketBounds(holding.bucket);
  return low + ((rank - holding.before - 0.5) / holding.count) * (high - low);
}

/**
 * The median estimated from the buckets holding the middle rank(s) (the mean of the
 * middle two for an even count, as `percentile_cont(0.5)`), null for an empty group.
 */
export function histogramMedian(buckets: readonly MedianBucket[]): number | null {
  const total = buckets[0]?.total ?? 0;
  if (total === 0) return null;
  const lower = valueAtRank(buckets, Math.floor((total + 1) / 2));
  if (total % 2 === 1) return lower;
  return (lower + valueAtRank(buckets, total / 2 + 1)) / 2;
}
