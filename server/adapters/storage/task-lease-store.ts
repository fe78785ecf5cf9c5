import type { Kysely, Updateable } from "kysely";
import type { ClaimLimits, TaskLeaseStore } from "../../domain/ports/task-leases.js";
import type { Database } from "./database.js";
import type { StorageSchema, TasksTable } from "./schema.js";
import { parseTaskPatch, patchToColumns, rowToTask } from "./task-rows.js";
import { nowIso, toIsoUtc } from "./timestamps.js";
import { inChunks } from "./in-chunks.js";

/**
 * The columns of a status change: leaving `running` drops the owner and its lease, so a
 * finished, cancelled or re-queued task is held by no one.
 */
export function withLeaseCleared(columns: Updateable<TasksTable>): Updateable<TasksTable> {
  if (columns.status === undefined || columns.status === "running") return columns;
  return { ...columns, owner: null, lease_expires_at: null };
}

/** Whether fewer tasks than `limits` allow run now, in total and in `id`'s repository. */
async function hasRoom(
  trx: Kysely<StorageSchema>,
  id: string,
  limits: ClaimLimits,
): Promise<boolean> {
  const running = trx.selectFrom("tasks").where("status", "=", "running");
  if (limits.total !== undefined) {
    const row = await running
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .executeTakeFirstOrThrow();
    if (Number(row.n) >= limits.total) return false;
  }
  if (limits.perRepo !== undefined) {
    const row = await running
      .where("repo", "=", trx.selectFrom("tasks").select("repo").where("id", "=", id))
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .executeTakeFirstOrThrow();
    if (Number(row.n) >= limits.perRepo) return false;
  }
  return true;
}

/**
 * The lease half of the TaskStore over a {@link Database}: each method is one
 * conditional UPDATE (or SELECT), so it holds across processes on PostgreSQL as on SQLite.
 */
export function createTaskLeaseStore(db: Database): TaskLeaseStore {
  const { kysely } = db;

  /** Sets `columns` on those of `ids` the owner holds; returns their ids. */
  async function setOnHeld(
    owner: string,
    ids: string[],
    columns: Updateable<TasksTable>,
  ): Promise<string[]> {
    const rows = await inChunks(ids, (slice) =>
      kysely
        .updateTable("tasks")
        .set(columns)
        .where("id", "in", slice)
        .where("status", "=", "running")
        .where("owner", "=", owner)
        .returning("id")
        .execute(),
    );
    return rows.map((r) => r.id);
  }

  return {
    async claim(id, lease, patch, limits) {
      const columns = {
        ...patchToColumns(parseTaskPatch(patch), nowIso()),
        status: "running" as const,
        owner: lease.owner,
        lease_expires_at: toIsoUtc(lease.expiresAt),
      };
      const update = (trx: Kysely<StorageSchema>) =>
        trx
          .updateTable("tasks")
          .set(columns)
          .where("id", "=", id)
          .where("status", "=", "queued")
          .returningAll()
          .executeTakeFirst();
      try {
        const row =
          limits?.total === undefined && limits?.perRepo === undefined
            ? await update(kysely)
            : await kysely.transaction().execute(async (trx) => {
                await db.dialect.serializeClaims(trx);
                if (!(await hasRoom(trx, id, limits))) return undefined;
                return update(trx);
              });
        return row === undefined ? null : rowToTask(row);
      } finally {
        db.taskWritten(); // the status lists show changed
      }
    },

    async renewLeases(owner, ids, expiresAt) {
      const until = toIsoUtc(expiresAt);
      return setOnHeld(owner, ids, { lease_expires_at: until });
    },

    async heldLeases(owner, ids) {
      const rows = await inChunks(ids, (slice) =>
        kysely
          .selectFrom("tasks")
          .select("id")
          .where("id", "in", slice)
          .where("status", "=", "running")
          .where("owner", "=", owner)
          .execute(),
      );
      return rows.map((r) => r.id);
    },

    async releaseLeases(owner, ids) {
      return (await setOnHeld(owner, ids, { owner: null, lease_expires_at: null })).length;
    },

    async listOrphaned(self, now) {
      const at = toIsoUtc(now);
      const rows = await kysely
        .selectFrom("tasks")
        .selectAll()
        .where("status", "=", "running")
        .where((eb) =>
          eb.or([
            eb("owner", "is", null),
            eb("owner", "=", self),
            eb("lease_expires_at", "is", null),
            eb("lease_expires_at", "<", at),
          ]),
        )
        .orderBy("seq", "asc")
        .execute();
      return rows.map((row) => ({
        task: rowToTask(row),
        owner: row.owner,
        leaseExpiresAt: row.lease_expires_at === null ? null : toIsoUtc(row.lease_expires_at),
      }));
    },

    async takeOver(id, seen, lease, now) {
      const at = toIsoUtc(now);
      try {
        const row = await kysely
          .updateTable("tasks")
          .set({
            owner: lease.owner,
            lease_expires_at: toIsoUtc(lease.expiresAt),
            updated_at: nowIso(),
          })
          .where("id", "=", id)
          .where("status", "=", "running")
          .where((eb) =>
            seen.owner === null ? eb("owner", "is", null) : eb("owner", "=", seen.owner),
          )
          .where((eb) =>
            eb.or([
              eb("owner", "is", null),
              eb("owner", "=", lease.owner),
              eb("lease_expires_at", "is", null),
              eb("lease_expires_at", "<", at),
            ]),
          )
          .returningAll()
          .executeTakeFirst();
        return row === undefined ? null : rowToTask(row);
      } finally {
        db.taskWritten();
      }
    },
  };
}
