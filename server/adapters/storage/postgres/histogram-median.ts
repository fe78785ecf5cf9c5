/** One bucket of a duration histogram (migration 0014's log buckets) and its count. */
export interface HistogramBucket {
  bucket: number;
  count: number;
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
function valueAtRank(sorted: readonly HistogramBucket[], rank: number): number {
  let before = 0;
  for (const { bucket, count } of sorted) {
    if (rank <= before + count) {
      const [low, high] = bucketBounds(bucket);
      return low + ((rank - before - 0.5) / count) * (high - low);
    }
    before += count;
  }
  throw new Error(`no histogram bucket holds rank ${rank}`);
}

/**
 * The median of a histogram (the mean of the middle two for an even count, as
 * `percentile_cont(0.5)`), estimated within the buckets holding the middle ranks; null
 * for an empty one. `buckets` may come in any order.
 */
export function histogramMedian(buckets: readonly HistogramBucket[]): number | null {
  const sorted = buckets.filter((b) => b.count > 0).sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) return null;
  const lower = valueAtRank(sorted, Math.floor((total + 1) / 2));
  if (total % 2 === 1) return lower;
  return (lower + valueAtRank(sorted, total / 2 + 1)) / 2;
}
