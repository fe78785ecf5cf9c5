import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { TaskListQuery } from "../../../shared/task.js";
import type { StorageSchema } from "./schema.js";
import { toIsoUtc } from "./timestamps.js";

/**
 * The filters shared by the task list, the stats and the CSV export. `from` is
 * inclusive and `to` exclusive, both on `createdAt`.
 */
export type TaskFilters = Partial<
  Pick<TaskListQuery, "status" | "outcome" | "ticketKey" | "repo" | "createdBy" | "from" | "to">
>;

/**
 * The WHERE condition for the filters, as one expression (`1 = 1` when there are none).
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
