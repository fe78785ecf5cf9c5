import pino from "pino";
import { createReviewStore, openSqliteDatabase } from "../../server/adapters/storage/index.js";
import type { Database } from "../../server/adapters/storage/index.js";
import type { ReviewStore } from "../../server/domain/ports/review-ports.js";
import type { ReviewResult } from "../../shared/review.js";
import { openTestPostgres } from "../support/postgres-database.js";

const DATABASES: Array<[string, () => Promise<Database>]> = [
  ["SQLite", () => openSqliteDatabase({ file: ":memory:", logger: pino({ level: "silent" }) })],
  ["PostgreSQL", () => openTestPostgres()],
];

function newRun(id: string, startedAt: string, staleBefore = "2000-01-01T00:00:00.000Z") {
  return {
    id,
    trigger: "schedule" as const,
    triggeredBy: null,
    windowStart: "2026-01-01T00:00:00+01:00",
    startedAt,
    staleBefore,
  };
}

function result(prNumber: number, status: ReviewResult["status"]): ReviewResult {
  return {
    repo: "acme/calc",
    prNumber,
    title: `PR ${prNumber}`,
    url: `https://github.example/acme/calc/pull/${prNumber}`,
    author: "dev",
    headRef: "feature",
    headSha: "abc123",
    baseRef: "main",
    status,
    review: null,
    error: status === "failed" ? { code: "codex_failed", message: "no" } : null,
    ticket: null,
    usage: { inputTokens: 10, cachedInputTokens: 2, outputTokens: 3 },
    startedAt: "2026-01-02T03:04:05.678Z",
    finishedAt: "2026-01-02T03:05:00.000Z",
  };
}

describe.each(DATABASES)("ReviewStore on %s", (_name, open) => {
  let db: Database;
  let store: ReviewStore;
  beforeEach(async () => {
    db = await open();
    store = createReviewStore(db);
  });
  afterEach(() => db.close());

  it("holds one running run at a time and ends a stale one first", async () => {
    const first = await store.startRun(newRun("r1", "2026-01-02T00:00:00.000Z"));
    expect(first).toMatchObject({
      id: "r1",
      status: "running",
      windowStart: "2025-12-31T23:00:00.000Z",
    });
    expect(await store.startRun(newRun("r2", "2026-01-02T00:10:00.000Z"))).toBeNull();
    // r1's heartbeat (its start) is older than staleBefore: it is ended, r3 starts.
    const third = await store.startRun(
      newRun("r3", "2026-01-02T01:00:00.000Z", "2026-01-02T00:30:00.000Z"),
    );
    expect(third?.status).toBe("running");
    const stale = await store.getRun("r1");
    expect(stale).toMatchObject({ status: "failed", finishedAt: "2026-01-02T01:00:00.000Z" });
    expect(stale?.errors.map((e) => e.code)).toEqual(["interrupted"]);
  });

  it("adds results to the run's counts and lists runs newest first", async () => {
    await store.startRun(newRun("a", "2026-01-02T00:00:00.000Z"));
    await store.saveResult("a", result(2, "reviewed"));
    await store.saveResult("a", result(1, "failed"));
    const done = await store.finishRun("a", {
      status: "completed",
      finishedAt: "2026-01-02T00:20:00Z",
      slack: "disabled",
      errors: [],
    });
    expect(done).toMatchObject({
      status: "completed",
      reviewedCount: 1,
      failedCount: 1,
      finishedAt: "2026-01-02T00:20:00.000Z",
      usage: { inputTokens: 20, cachedInputTokens: 4, outputTokens: 6 },
    });
    expect(done?.results.map((r) => [r.prNumber, r.status, r.startedAt])).toEqual([
      [1, "failed", "2026-01-02T03:04:05.678Z"],
      [2, "reviewed", "2026-01-02T03:04:05.678Z"],
    ]);
    await store.startRun(newRun("b", "2026-01-03T00:00:00.000Z"));
    const first = await store.listRuns({ limit: 1 });
    expect(first.runs.map((r) => r.id)).toEqual(["b"]);
    const next = await store.listRuns({ limit: 1, cursor: first.nextCursor ?? "" });
    expect(next).toMatchObject({ runs: [{ id: "a" }], nextCursor: null });
  });
});
