/** Keeps `IN (…)` lists well below every dialect's bound-parameter limit. */
export const IN_LIST_CHUNK = 500;

/** Runs `work` on slices of `ids` small enough for one `IN (…)` list and joins the results. */
export async function inChunks<T>(
  ids: readonly string[],
  work: (slice: string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IN_LIST_CHUNK) {
    out.push(...(await work(ids.slice(i, i + IN_LIST_CHUNK))));
  }
  return out;
}
