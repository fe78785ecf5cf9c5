import type { Generated } from "kysely";
import type { SpendRow } from "../../../shared/budget.js";
import type { Spend, UsageLedger } from "../../domain/ports/usage-meter.js";
import type { Database } from "./database.js";

/** The `model_requests` table (migration 0007): one row per model request. */
export interface ModelRequestsTable {
  id: string;
  owner_kind: "task" | "review";
  owner_id: string;
  person: string | null;
  repo: string | null;
  day: string;
  at: string;
  input_tokens: Generated<number>;
  cached_input_tokens: Generated<number>;
  output_tokens: Generated<number>;
  reasoning_tokens: Generated<number>;
  cost: Generated<number>;
}

/** The `budget_grants` table (migration 0007): budget added to a task, by whom. */
export interface BudgetGrantsTable {
  seq: Generated<number>;
  owner_id: string;
  amount: number;
  granted_by: string;
  at: string;
}

type LedgerTables = {
  model_requests: ModelRequestsTable;
  budget_grants: BudgetGrantsTable;
};

// PostgreSQL returns sums and counts of big integers as strings.
const num = (value: unknown): number => Number(value ?? 0);

/** The UsageLedger on the storage adapter's database. */
export function createUsageLedger(db: Database): UsageLedger {
  const kysely = db.kysely.withTables<LedgerTables>();

  return {
    async startRequest({ id, owner, day, at }) {
      await kysely
        .insertInto("model_requests")
        .values({
          id,
          owner_kind: owner.kind,
          owner_id: owner.id,
          person: owner.person,
          repo: owner.repo,
          day,
          at,
        })
        .execute();
    },

    async completeRequest(id, usage, cost) {
      await kysely
        .updateTable("model_requests")
        .set({
          input_tokens: usage.inputTokens,
          cached_input_tokens: usage.cachedInputTokens,
          output_tokens: usage.outputTokens,
          reasoning_tokens: usage.reasoningTokens,
          cost,
        })
        .where("id", "=", id)
        .execute();
    },

    async ownerSpend(ownerId): Promise<Spend> {
      const row = await kysely
        .selectFrom("model_requests")
        .select((eb) => [eb.fn.sum<number>("cost").as("cost"), eb.fn.countAll<number>().as("n")])
        .where("owner_id", "=", ownerId)
        .executeTakeFirst();
      return { cost: num(row?.cost), requests: num(row?.n) };
    },

    async daySpend(day, filter = {}): Promise<Spend> {
      let query = kysely
        .selectFrom("model_requests")
        .select((eb) => [eb.fn.sum<number>("cost").as("cost"), eb.fn.countAll<number>().as("n")])
        .where("day", "=", day);
      if (filter.person !== undefined) query = query.where("person", "=", filter.person);
      if (filter.repo !== undefined) query = query.where("repo", "=", filter.repo);
      const row = await query.executeTakeFirst();
      return { cost: num(row?.cost), requests: num(row?.n) };
    },

    async spendReport(from, to): Promise<SpendRow[]> {
      const rows = await kysely
        .selectFrom("model_requests")
        .select((eb) => [
          "day",
          "person",
          "repo",
          eb.fn.sum<number>("cost").as("cost"),
          eb.fn.countAll<number>().as("n"),
        ])
        .where("day", ">=", from)
        .where("day", "<=", to)
        .groupBy(["day", "person", "repo"])
        .orderBy("day", "desc")
        .orderBy("person")
        .orderBy("repo")
        .execute();
      return rows.map((row) => ({
        day: row.day,
        person: row.person,
        repo: row.repo,
        spent: num(row.cost),
        requests: num(row.n),
      }));
    },

    async addGrant({ ownerId, amount, by, at }) {
      await kysely
        .insertInto("budget_grants")
        .values({ owner_id: ownerId, amount, granted_by: by, at })
        .execute();
    },

    async grantedTo(ownerId) {
      const row = await kysely
        .selectFrom("budget_grants")
        .select((eb) => eb.fn.sum<number>("amount").as("total"))
        .where("owner_id", "=", ownerId)
        .executeTakeFirst();
      return num(row?.total);
    },
  };
}
