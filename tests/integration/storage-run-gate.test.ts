import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  createDatabaseRunGate,
  openPostgresDatabase,
  type Database,
} from "../../server/adapters/storage/index.js";
import { AppError } from "../../server/domain/app-error.js";
import type { RunGate, RunPermit } from "../../server/domain/ports/run-gate.js";
import { openTestPostgres } from "../support/postgres-database.js";

const logger = pino({ level: "silent" });
const WINDOW_MS = 60_000;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** Two nodes' gates on one PostgreSQL database, each on its own pool, sharing a clock. */
async function twoNodes(perWindow: number, clock: { now: number }): Promise<[RunGate, RunGate]> {
  const first = await openTestPostgres();
  closers.push(() => first.close());
  const second: Database = await openPostgresDatabase({ url: first.url, logger, poolSize: 2 });
  closers.push(() => second.close());
  const options = { perWindow, windowMs: WINDOW_MS, now: () => clock.now };
  return [createDatabaseRunGate(first, options), createDatabaseRunGate(second, options)];
}

async function outcome(take: Promise<RunPermit>): Promise<string> {
  try {
    await take;
    return "taken";
  } catch (error) {
    return error instanceof AppError ? error.code : "unexpected";
  }
}

describe("the run gate on PostgreSQL, shared by nodes", () => {
  it("admits exactly the limit when nodes take at once, and says when to come back", async () => {
    const clock = { now: 10 * WINDOW_MS + 45_000 };
    const [a, b] = await twoNodes(3, clock);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => outcome((i % 2 === 0 ? a : b).take("pat@acme.test"))),
    );
    expect(results.filter((r) => r === "taken")).toHaveLength(3);
    expect(results.filter((r) => r === "rate_limited")).toHaveLength(5);
    const refused = await a.take("PAT@acme.test ").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).details).toEqual({ retryAfterSeconds: 15 });
    // Another person's budget is their own.
    expect(await outcome(b.take("eve@acme.test"))).toBe("taken");
  });

  it("a released run can be taken again from another node; a new window starts afresh", async () => {
    const clock = { now: 20 * WINDOW_MS };
    const [a, b] = await twoNodes(2, clock);
    const first = await a.take("pat@acme.test");
    await a.take("pat@acme.test");
    expect(await outcome(b.take("pat@acme.test"))).toBe("rate_limited");
    first.release();
    first.release(); // twice gives back one run, not two
    await expect.poll(() => outcome(b.take("pat@acme.test")), { timeout: 5_000 }).toBe("taken");
    expect(await outcome(a.take("pat@acme.test"))).toBe("rate_limited");
    clock.now += WINDOW_MS;
    expect(await outcome(a.take("pat@acme.test"))).toBe("taken");
    expect(await outcome(b.take("pat@acme.test"))).toBe("taken");
    expect(await outcome(b.take("pat@acme.test"))).toBe("rate_limited");
  });
});
