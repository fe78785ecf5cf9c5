import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { TaskFilters } from "../../domain/ports/task-stats.js";
import type { StorageSchema } from "./schema.js";
import { toIsoUtc } from "./timestamps.js";

export type { TaskFilters };

/**
 * The WHERE condition for the filters (the task list's, the stats' and the CSV export's;
 * `from` inclusive and `to` exclusive, both on `createdAt`), as one expression (`1 = 1` when there are none).
 * Times are normalized to UTC first, because stored times are compared as text.
 */
export function taskFilterCondition(
  eb: ExpressionBuilder<StorageSchema, "tasks">,
  filters: TaskFilters,
): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (filters.status !== undefined) conditions.push(eb("status", "=", filters.status));
  if (filters.outcome !== undefined) conditions.push(eb("outcome", "=", filters.outcome));
  if (filters.ticketKey !== undefined) conditions.push(eb("ticket_key", "=", filters.ticketKey));
  if (filters.repo !== undefined) conditions.push(eb("repo", "=", filters.repo));
  if (filters.createdBy !== undefined) conditions.push(eb("created_by", "=", filters.createdBy));
  if (filters.from !== undefined) conditions.push(eb("created_at", ">=", toIsoUtc(filters.from)));
  if (filters.to !== undefined) conditions.push(eb("created_at", "<", toIsoUtc(filters.to)));
  return eb.and(conditions);
}
