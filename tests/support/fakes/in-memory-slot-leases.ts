import pino from "pino";
import type { SlotPriority } from "../../../server/domain/ports/agent-slots.js";
import type {
  SlotGrantTerms,
  SlotLeaseStore,
  SlotRequestState,
} from "../../../server/domain/ports/slot-leases.js";
import { LeasedAgentSlots } from "../../../server/domain/slots/leased-agent-slots.js";

interface Row {
  id: number;
  pool: string;
  holder: string;
  priority: SlotPriority;
  held: boolean;
  expiresAt: string;
}

const RANK: Record<SlotPriority, number> = { task: 0, review: 1 };

/**
 * The {@link SlotLeaseStore} in memory, with the storage adapter's rule: a request is
 * granted when its pool has a free slot and no live request waits ahead of it. Several
 * {@link LeasedAgentSlots} on one of these are several processes on one database.
 */
export class InMemorySlotLeases implements SlotLeaseStore {
  readonly rows: Row[] = [];
  #nextId = 1;

  request(
    holder: string,
    terms: SlotGrantTerms,
  ): Promise<{ id: number; state: "held" | "waiting" }> {
    const row: Row = {
      id: this.#nextId++,
      pool: terms.pool,
      holder,
      priority: terms.priority,
      held: false,
      expiresAt: terms.expiresAt,
    };
    this.rows.push(row);
    const state = this.#grant(row, terms);
    return Promise.resolve({ id: row.id, state: state === "gone" ? "waiting" : state });
  }

  tryGrant(id: number, terms: SlotGrantTerms): Promise<SlotRequestState> {
    const row = this.rows.find((r) => r.id === id);
    return Promise.resolve(row === undefined ? "gone" : this.#grant(row, terms));
  }

  renew(ids: number[], expiresAt: string): Promise<number[]> {
    const kept = this.rows.filter((r) => ids.includes(r.id));
    for (const row of kept) row.expiresAt = expiresAt;
    return Promise.resolve(kept.map((r) => r.id));
  }

  remove(id: number): Promise<void> {
    const index = this.rows.findIndex((r) => r.id === id);
    if (index >= 0) this.rows.splice(index, 1);
    return Promise.resolve();
  }

  #grant(row: Row, terms: SlotGrantTerms): SlotRequestState {
    for (let i = this.rows.length - 1; i >= 0; i -= 1) {
      const other = this.rows[i];
      if (other?.pool === terms.pool && other.expiresAt <= terms.now) this.rows.splice(i, 1);
    }
    if (!this.rows.includes(row)) return "gone";
    if (row.held) return "held";
    const pool = this.rows.filter((r) => r.pool === terms.pool);
    const ahead = pool.some(
      (r) =>
        !r.held &&
        (RANK[r.priority] < RANK[row.priority] ||
          (RANK[r.priority] === RANK[row.priority] && r.id < row.id)),
    );
    if (ahead || pool.filter((r) => r.held).length >= terms.capacity) return "waiting";
    row.held = true;
    row.expiresAt = terms.expiresAt;
    return "held";
  }
}

/** One process's slots on an in-memory pool of `capacity` (a fresh store unless given). */
export function inMemoryAgentSlots(
  capacity: number,
  store: SlotLeaseStore = new InMemorySlotLeases(),
  options: { holder?: string; pollMs?: number; leaseMs?: number; now?: () => number } = {},
): LeasedAgentSlots {
  return new LeasedAgentSlots({
    store,
    pool: "test-pool",
    holder: options.holder ?? "test",
    capacity,
    leaseMs: options.leaseMs ?? 30_000,
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.now === undefined ? {} : { now: options.now }),
    logger: pino({ level: "silent" }),
  });
}
