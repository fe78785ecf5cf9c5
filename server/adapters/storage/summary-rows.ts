import type { Kysely } from "kysely";
import type { StorageSchema } from "./schema.js";
import { taskFilterCondition, type TaskFilters } from "./task-filters.js";
import { SUMMARY_COLUMNS } from "./task-rows.js";

/**
 * Up to `limit` summary rows matching the filters, newest first, older than `beforeSeq`
 * when given: keyset paging, where `seq < before` walks an index and OFFSET would scan
 * every skipped row. Lists and the CSV export both page this way.
 */
export function selectSummaryRows(
  kysely: Kysely<StorageSchema>,
  filters: TaskFilters,
  beforeSeq: number | null,
  limit: number,
) {
  let select = kysely
    .selectFrom("tasks")
    .select(SUMMARY_COLUMNS)
    .where((eb) => taskFilterCondition(eb, filters));
  if (beforeSeq !== null) select = select.where("seq", "<", beforeSeq);
  return select.orderBy("seq", "desc").limit(limit).execute();
}
