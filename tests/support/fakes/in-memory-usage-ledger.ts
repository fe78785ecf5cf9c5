import type { SpendRow } from "../../../shared/budget.js";
import type {
  ModelUsage,
  UsageLedger,
  UsageOwner,
} from "../../../server/domain/ports/usage-meter.js";

interface Row {
  id: string;
  owner: UsageOwner;
  day: string;
  usage: ModelUsage | null;
  cost: number;
}

/** The UsageLedger port in memory, for domain tests. */
export class InMemoryUsageLedger implements UsageLedger {
  readonly rows: Row[] = [];
  readonly grants: { ownerId: string; amount: number; by: string }[] = [];

  startRequest(entry: { id: string; owner: UsageOwner; day: string }): Promise<void> {
    this.rows.push({ id: entry.id, owner: entry.owner, day: entry.day, usage: null, cost: 0 });
    return Promise.resolve();
  }

  completeRequest(id: string, usage: ModelUsage, cost: number): Promise<void> {
    const row = this.rows.find((r) => r.id === id);
    if (row !== undefined) Object.assign(row, { usage, cost });
    return Promise.resolve();
  }

  ownerSpend(ownerId: string) {
    return Promise.resolve(this.#sum(this.rows.filter((r) => r.owner.id === ownerId)));
  }

  daySpend(day: string, filter: { person?: string; repo?: string } = {}) {
    return Promise.resolve(
      this.#sum(
        this.rows.filter(
          (r) =>
            r.day === day &&
            (filter.person === undefined || r.owner.person === filter.person) &&
            (filter.repo === undefined || r.owner.repo === filter.repo),
        ),
      ),
    );
  }

  spendReport(from: string, to: string): Promise<SpendRow[]> {
    const groups = new Map<string, SpendRow>();
    for (const r of this.rows.filter((row) => row.day >= from && row.day <= to)) {
      const key = JSON.stringify([r.day, r.owner.person, r.owner.repo]);
      const row = groups.get(key) ?? {
        day: r.day,
        person: r.owner.person,
        repo: r.owner.repo,
        spent: 0,
        requests: 0,
      };
      row.spent += r.cost;
      row.requests += 1;
      groups.set(key, row);
    }
    return Promise.resolve([...groups.values()]);
  }

  addGrant(grant: { ownerId: string; amount: number; by: string; at: string }): Promise<void> {
    this.grants.push(grant);
    return Promise.resolve();
  }

  grantedTo(ownerId: string): Promise<number> {
    return Promise.resolve(
      this.grants.filter((g) => g.ownerId === ownerId).reduce((sum, g) => sum + g.amount, 0),
    );
  }

  #sum(rows: Row[]) {
    return { cost: rows.reduce((sum, r) => sum + r.cost, 0), requests: rows.length };
  }
}
