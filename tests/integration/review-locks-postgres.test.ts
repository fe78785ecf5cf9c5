import pino from "pino";
import {
  createReviewStore,
  databaseReviewLocks,
  openPostgresDatabase,
  type Database,
} from "../../server/adapters/storage/index.js";
import { inMemoryAgentSlots } from "../support/fakes/in-memory-slot-leases.js";
import type {
  AgentTurnRequest,
  AgentTurnResult,
  CodingAgent,
} from "../../server/domain/ports/coding-agent.js";
import { RepoRegistry } from "../../server/domain/repo-registry.js";
import type { ReviewDeps } from "../../server/domain/reviews/review-deps.js";
import { ReviewService } from "../../server/domain/reviews/review-service.js";
import { CALC_REPO } from "../support/fakes/domain-harness.js";
import { FakeCodeHost } from "../support/fakes/fake-code-host.js";
import { FakeTracker } from "../support/fakes/fake-tracker.js";
import { openTestPostgres } from "../support/postgres-database.js";
import {
  FakeCheckouts,
  openPr,
  prNumberOf,
  PromptAgent,
  reviewJson,
} from "../support/review-fixtures.js";
import { until } from "../support/until.js";

// Two processes' review services on one PostgreSQL: the run lock keeps their runs apart,
// but a run taken for dead while it still goes (here: the second process's clock is ten
// minutes ahead) overlaps the next one. The per pull request locks keep them from
// reviewing the same pull request twice.

const logger = pino({ level: "silent" });
const T = Date.parse("2026-01-02T02:00:00.000Z");

/** A review agent whose turns wait until the test opens the gate. */
class GatedAgent implements CodingAgent {
  readonly inner = new PromptAgent((prompt) => ({
    final: JSON.stringify(reviewJson(prNumberOf(prompt), "low")),
  }));
  readonly started: number[] = [];
  #open: () => void = () => undefined;
  readonly #gate: Promise<void>;

  constructor(open: boolean) {
    this.#gate = open ? Promise.resolve() : new Promise((resolve) => (this.#open = resolve));
  }

  open(): void {
    this.#open();
  }

  async runTurn(request: AgentTurnRequest): Promise<AgentTurnResult> {
    this.started.push(prNumberOf(request.prompt));
    await this.#gate;
    return this.inner.runTurn(request);
  }
}

/** One process's review service: its own connection pool, agent and clock. */
function processServices(db: Database, codeHost: FakeCodeHost, agent: CodingAgent, now: number) {
  const locks = databaseReviewLocks(db, logger);
  if (locks === null) throw new Error("PostgreSQL must give database review locks");
  const deps: ReviewDeps = {
    store: createReviewStore(db),
    locks,
    codeHost,
    tracker: new FakeTracker(),
    checkouts: new FakeCheckouts(),
    agent,
    notifier: null,
    repos: new RepoRegistry([CALC_REPO]),
    slots: inMemoryAgentSlots(8),
    settings: {
      windowHours: 24,
      commentOnPr: false,
      turnTimeoutMs: 60_000,
      jiraBaseUrl: "https://jira.example",
    },
    logger,
    now: () => new Date(now),
  };
  return new ReviewService(deps);
}

describe("review locks across processes on PostgreSQL", () => {
  it("two overlapping runs of two processes never review one pull request twice", async () => {
    const dbA = await openTestPostgres();
    const dbB = await openPostgresDatabase({ url: dbA.url, logger });
    const agentA = new GatedAgent(false);
    let runA: Awaited<ReturnType<ReviewService["start"]>> = null;
    try {
      const codeHost = new FakeCodeHost();
      codeHost.openPulls.push(...[1, 2, 3, 4].map((n) => openPr(n)));
      const agentB = new GatedAgent(true);
      const serviceA = processServices(dbA, codeHost, agentA, T);
      const serviceB = processServices(dbB, codeHost, agentB, T + 10 * 60_000);

      runA = await serviceA.start("schedule", null);
      expect(runA).not.toBeNull();
      await until(() => agentA.started.length === 4, "process a reviewing its four pull requests");
      // Opened after process a listed its work: only process b can see it.
      codeHost.openPulls.push(openPr(5));

      // Process b's clock takes a's run for dead: the run lock lets it start a second run.
      const runB = await serviceB.runNow("cli");
      expect(runB?.status).toBe("completed");
      expect(runB?.results.map((r) => r.prNumber)).toEqual([5]);
      expect(agentB.started).toEqual([5]);

      agentA.open();
      await runA?.done;
      expect(agentA.started.sort()).toEqual([1, 2, 3, 4]);

      // Both runs are over and their locks gone: a later run reviews everything again.
      const agentC = new GatedAgent(true);
      const later = await processServices(dbB, codeHost, agentC, T + 20 * 60_000).runNow("cli");
      expect(later?.results.map((r) => r.prNumber).sort()).toEqual([1, 2, 3, 4, 5]);
    } finally {
      // A failed assertion must not leave process a's run holding a connection open.
      agentA.open();
      await runA?.done;
      await dbB.close();
      await dbA.close();
    }
  });

  it("frees a dead process's locks with its connection", async () => {
    const dbA = await openTestPostgres();
    const dbB = await openPostgresDatabase({ url: dbA.url, logger });
    const held: { release(): Promise<void> }[] = [];
    try {
      const lockA = await databaseReviewLocks(dbA, logger)!.forRun();
      const lockB = await databaseReviewLocks(dbB, logger)!.forRun();
      held.push(lockA, lockB);
      expect(await lockA.tryLock("acme/calc", 7)).toBe(true);
      expect(await lockA.tryLock("acme/calc", 7)).toBe(true); // the same run again
      expect(await lockB.tryLock("acme/calc", 7)).toBe(false);
      expect(await lockB.tryLock("acme/other", 7)).toBe(true);
      // pg_locks spans the whole cluster: other test files' databases hold review locks too.
      const ours = "database = (select oid from pg_database where datname = current_database())";
      const holders = await dbB.pool.query<{ pid: number }>(
        `select pid from pg_locks where locktype = 'advisory' and ${ours} and objid = 7 and granted and pid <> pg_backend_pid()`,
      );
      const pids = [...new Set(holders.rows.map((r) => r.pid))];
      expect(pids).toHaveLength(2); // a's and b's sessions
      // Process a's session dies (its process was killed): the server drops its locks. The
      // timeout makes the call wait until the backend is gone, locks released, instead of
      // returning once the signal is sent.
      const killed = await dbB.pool.query<{ gone: boolean }>(
        `select pg_terminate_backend(pid, 10000) as gone from pg_locks where locktype = 'advisory' and ${ours} and objid = 7 and classid = hashtext('acme/calc')::oid`,
      );
      expect(killed.rows.map((r) => r.gone)).toEqual([true]);
      const lockB2 = await databaseReviewLocks(dbB, logger)!.forRun();
      held.push(lockB2);
      expect(await lockB2.tryLock("acme/calc", 7)).toBe(true);
      await lockA.release(); // its session is gone: released without a throw
    } finally {
      // Each lock holds a pooled connection until released: closing the pools would wait
      // for them forever and turn a failed assertion into a timeout.
      await Promise.all(held.map((lock) => lock.release()));
      await dbB.close();
      await dbA.close();
    }
  });
});
