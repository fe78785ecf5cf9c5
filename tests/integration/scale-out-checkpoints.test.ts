import { TAKEOVER_RESUME_MESSAGE } from "../../server/domain/tasks/turn-checkpoint.js";
import { ticketOf } from "../support/reliability-scripts.js";
import { waitFor, waitForFinal, type ServerProcess } from "../support/reliability-server.js";
import { loggedAt, useScaleOutWorld } from "../support/scale-out-world.js";

// Issue 15's takeover with turn checkpoints, as production runs it: one API process and
// two workers on PostgreSQL, each with its own DATA_DIR. A worker is killed -9 in the
// middle of the fix turn, after the analysis turn completed; the other worker resumes
// the same Codex thread from the analysis turn's checkpoint.

describe("scale-out with turn checkpoints", () => {
  const cluster = useScaleOutWorld({
    tickets: 2,
    sessionSecret: "checkpoint-session-secret-0123456789abcdef",
  });
  const { holds } = cluster;
  const logged = (proc: ServerProcess, msg: string, taskId: string) =>
    loggedAt(proc, msg, taskId) !== undefined;

  it("resumes the same thread on the other worker after a kill -9 mid-turn; one PR, one comment", async () => {
    const started = Date.now();
    const world = cluster.world();
    const { apiNode, workerA, workerB, api } = await cluster.startNodes();

    // CALC-1's fix turn stalls on the model after its patch: the analysis turn is done
    // and checkpointed, the fix turn is not.
    holds.fix.add("CALC-1");
    const created = await api.createFix("CALC-1");
    expect(created.status).toBe(202);
    const id = created.task.id;
    const victim = await waitFor("CALC-1's fix turn to be held on a worker", () => {
      const held = world.model.requests.some(
        (r) =>
          r.context !== null &&
          ticketOf(r.context) === "CALC-1" &&
          /implement the fix/i.test(r.context.latestUserMessage) &&
          r.context.stepIndex === 1,
      );
      return held ? [workerA, workerB].find((w) => logged(w, "task started", id)) : undefined;
    });
    expect(logged(victim, "turn checkpoint stored", id)).toBe(true);
    const threadBefore = (await api.task(id)).threadId;
    expect(threadBefore).toMatch(/^[0-9a-f-]{36}$/);
    const survivor = victim === workerA ? workerB : workerA;
    await victim.kill9();
    holds.fix.clear();
    const killedAt = Date.now();

    const [final] = await waitForFinal(api, [id], "CALC-1 to finish on the survivor", 240_000);
    const doneAfterKillMs = Date.now() - killedAt;
    expect(`${final?.status}:${final?.outcome}`).toBe("completed:pr_opened");
    expect(logged(survivor, "task restored from its turn checkpoint", id)).toBe(true);
    // The same thread, resumed: its earlier (analysis) turn is in what the model was sent.
    expect(final?.threadId).toBe(threadBefore);
    const resumed = world.model.requests.filter(
      (r) =>
        r.context !== null &&
        ticketOf(r.context) === "CALC-1" &&
        /previous attempt/i.test(r.context.latestUserMessage),
    );
    expect(resumed.length).toBeGreaterThan(0);
    const context = resumed[0]?.context;
    expect(context?.userMessages.length).toBe(2);
    expect(context?.firstUserMessage).toMatch(/analy[sz]e only/i);
    const requests = (await api.events(id)).filter((e) => e.type === "task.request");
    expect(requests.map((e) => e.payload)).toEqual([
      expect.objectContaining({ action: "create" }),
      expect.objectContaining({ action: "retry", by: "system", message: TAKEOVER_RESUME_MESSAGE }),
    ]);
    const url = final?.pullRequest?.url ?? "<none>";
    const pulls = world.github
      .pullRequests("acme/calc")
      .filter((pr) => pr.head.ref === final?.branch);
    const comments = world.jira.comments("CALC-1").filter((c) => c.body.includes(url));
    expect(`${pulls.length} pull request, ${comments.length} comment`).toBe(
      "1 pull request, 1 comment",
    );
    process.stdout.write(
      `scale-out checkpoints: ${JSON.stringify({ doneAfterKillMs, totalMs: Date.now() - started })}\n`,
    );
    await Promise.all([apiNode.stop(), survivor.stop()]);
  }, 400_000);
});
