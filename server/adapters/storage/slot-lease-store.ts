import type { Generated, Kysely } from "kysely";
import type { SlotPriority } from "../../domain/ports/agent-slots.js";
import type {
  SlotGrantTerms,
  SlotLeaseStore,
  SlotRequestState,
} from "../../domain/ports/slot-leases.js";
import type { Database } from "./database.js";
import type { StorageSchema } from "./schema.js";

/** A row of `agent_slot_pools` (migration 0015). */
interface AgentSlotPoolsTable {
  pool: string;
  granted_at: string;
}

/** A row of `agent_slot_leases` (migration 0015): one request, waiting or held. */
interface AgentSlotLeasesTable {
  id: Generated<number>;
  pool: string;
  holder: string;
  priority_rank: number;
  /** 1 held, 0 waiting. */
  held: number;
  requested_at: string;
  expires_at: string;
}

// A type, not an interface: kysely's withTables wants a record type.
type SlotTables = {
  agent_slot_pools: AgentSlotPoolsTable;
  agent_slot_leases: AgentSlotLeasesTable;
};
type SlotDb = Kysely<StorageSchema & SlotTables>;

const RANK: Record<SlotPriority, number> = { task: 0, review: 1 };

/**
 * The {@link SlotLeaseStore} in the database, for every process on it. Grants in a pool
 * take turns (see `inTurn`); each drops the pool's dead requests, then one conditional
 * UPDATE grants the request if the pool has room and nothing live waits ahead of it.
 * Portable SQL; only how grants take turns differs between dialects.
 */
export function createSlotLeaseStore(db: Database): SlotLeaseStore {
  const kysely = db.kysely.withTables<SlotTables>();

  /** Grants `id` if it may, inside a transaction that holds its pool's turn. */
  async function grant(trx: SlotDb, id: number, terms: SlotGrantTerms): Promise<SlotRequestState> {
    const rank = RANK[terms.priority];
    const granted = await trx
      .updateTable("agent_slot_leases as me")
      .set({ held: 1, expires_at: terms.expiresAt })
      .where("me.id", "=", id)
      .where("me.held", "=", 0)
      .where(
        (eb) =>
          eb
            .selectFrom("agent_slot_leases as h")
            .select(eb.fn.countAll<number>().as("n"))
            .where("h.pool", "=", terms.pool)
            .where("h.held", "=", 1),
        "<",
        terms.capacity,
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("agent_slot_leases as w")
              .select("w.id")
              .where("w.pool", "=", terms.pool)
              .where("w.held", "=", 0)
              .where((w) =>
                w.or([
                  w("w.priority_rank", "<", rank),
                  w.and([w("w.priority_rank", "=", rank), w("w.id", "<", id)]),
                ]),
              ),
          ),
        ),
      )
      .executeTakeFirst();
    if (granted.numUpdatedRows > 0n) return "held";
    const row = await trx
      .selectFrom("agent_slot_leases")
      .select("held")
      .where("id", "=", id)
      .executeTakeFirst();
    if (row === undefined) return "gone";
    return Number(row.held) === 1 ? "held" : "waiting";
  }

  /** Drops the pool's dead requests (their lease ended unrenewed). */
  async function sweep(trx: SlotDb, terms: SlotGrantTerms): Promise<void> {
    await trx
      .deleteFrom("agent_slot_leases")
      .where("pool", "=", terms.pool)
      .where("expires_at", "<=", terms.now)
      .execute();
  }

  /**
   * Runs `work` holding the pool's turn. PostgreSQL: a transaction that first upserts
   * the pool's row, whose lock makes grants take turns, each later statement reading
   * what the previous grant committed (READ COMMITTED). SQLite: no transaction, as each
   * statement is atomic under the database's one write lock and a grant is one
   * statement; a transaction held across awaits would also stall another connection of
   * the same process in better-sqlite3's synchronous busy wait.
   */
  function inTurn<T>(terms: SlotGrantTerms, work: (trx: SlotDb) => Promise<T>): Promise<T> {
    if (db.dialect.name === "sqlite") return sweep(kysely, terms).then(() => work(kysely));
    return kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto("agent_slot_pools")
        .values({ pool: terms.pool, granted_at: terms.now })
        .onConflict((oc) => oc.column("pool").doUpdateSet({ granted_at: terms.now }))
        .execute();
      await sweep(trx, terms);
      return work(trx);
    });
  }

  return {
    request: (holder, terms) =>
      inTurn(terms, async (trx) => {
        const row = await trx
          .insertInto("agent_slot_leases")
          .values({
            pool: terms.pool,
            holder,
            priority_rank: RANK[terms.priority],
            held: 0,
            requested_at: terms.now,
            expires_at: terms.expiresAt,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        const id = Number(row.id);
        const state = await grant(trx, id, terms);
        return { id, state: state === "held" ? "held" : "waiting" };
      }),
    tryGrant: (id, terms) => inTurn(terms, (trx) => grant(trx, id, terms)),
    async renew(ids, expiresAt) {
      // A process has a few requests (its slots and its waiters): one IN list is enough.
      if (ids.length === 0) return [];
      const rows = await kysely
        .updateTable("agent_slot_leases")
        .set({ expires_at: expiresAt })
        .where("id", "in", ids)
        .returning("id")
        .execute();
      return rows.map((r) => Number(r.id));
    },
    async remove(id) {
      await kysely.deleteFrom("agent_slot_leases").where("id", "=", id).execute();
    },
  };
}
