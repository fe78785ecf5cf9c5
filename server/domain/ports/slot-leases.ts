import type { SlotPriority } from "./agent-slots.js";

/** What a request for a slot is asked under: which pool, how big, and until when. */
export interface SlotGrantTerms {
  /** The pool's key: everything asking under it shares `capacity` slots. */
  pool: string;
  priority: SlotPriority;
  /** How many slots the pool has (the asker's `MAX_CONCURRENT_TASKS`). */
  capacity: number;
  /** Now, ISO-8601 UTC: rows whose lease ended before it are dead and are dropped. */
  now: string;
  /** The lease of the request (waiting or held) when it is made or granted. */
  expiresAt: string;
}

/** Where a request stands after an attempt to grant it. */
export type SlotRequestState = "held" | "waiting" | "gone";

/**
 * The slot requests of every process on one database, waiting or held, each with a
 * lease its process renews while it lives: a process that dies (kill -9) stops renewing
 * and its requests drop out once their lease has ended. A request is granted only when
 * the pool has a free slot and no live request waits ahead of it (tasks before reviews,
 * then first come first served), and each grant is serialized per pool, so two
 * processes never both take the last slot.
 */
export interface SlotLeaseStore {
  /** Files a request under `holder` (a process's name) and grants it at once if it may. */
  request(
    holder: string,
    terms: SlotGrantTerms,
  ): Promise<{ id: number; state: Exclude<SlotRequestState, "gone"> }>;
  /**
   * Grants a waiting request if it may now; "gone" when it no longer exists (its lease
   * ended unrenewed and another process dropped it): the asker files a new one.
   */
  tryGrant(id: number, terms: SlotGrantTerms): Promise<SlotRequestState>;
  /** Extends these requests' leases to `expiresAt`; returns the ids that still exist. */
  renew(ids: number[], expiresAt: string): Promise<number[]>;
  /** Removes a request: a slot given back or a wait given up. */
  remove(id: number): Promise<void>;
}
