import { access, chmod, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  calcTickets,
  startReliabilityEnv,
  type ReliabilityEnv,
} from "../support/reliability-env.js";
import { calcFixScript } from "../support/reliability-scripts.js";
import { git } from "../support/git-fixtures.js";
import {
  apiClient,
  isFinal,
  spawnServer,
  waitFor,
  type ServerProcess,
} from "../support/reliability-server.js";

// The narrowest window of a publish: the remote has taken the branch, but the server is
// killed before `git push` returns. A post-receive hook runs after the remote updated its
// refs and before the pusher hears back, so holding it there makes the window certain.
// The restarted server must build on what the remote already has (a fast-forward, or the
// very same commit), not beside it: a push the remote rejects would fail the task.
describe("reliability: kill -9 while the remote takes the push", () => {
  let world: ReliabilityEnv;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    world = await startReliabilityEnv({ scripts: [calcFixScript()], tickets: calcTickets(1) });
  }, 120_000);

  afterAll(async () => {
    for (const server of servers) await server.kill9();
    await world.close();
  });

  it("finishes on restart with one pull request on the branch the remote already has", async () => {
    const marker = path.join(world.dataDir, "push-received");
    const release = path.join(world.dataDir, "push-release");
    // Only the first push of a task branch is held; the restarted server's push goes through.
    const hook = path.join(world.repo.bare, "hooks", "post-receive");
    await writeFile(
      hook,
      [
        "#!/bin/sh",
        "while read old new ref; do",
        '  case "$ref" in refs/heads/codex/*)',
        `    if [ ! -e '${marker}' ]; then`,
        `      touch '${marker}'`,
        "      i=0",
        `      while [ ! -e '${release}' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done`,
        "    fi;;",
        "  esac",
        "done",
        "",
      ].join("\n"),
    );
    await chmod(hook, 0o755);

    const first = await spawnServer(world.env);
    servers.push(first);
    const created = await apiClient(first.url).createFix("CALC-1");
    expect(created.status).toBe(202);
    const taskId = created.task.id;
    await waitFor("the remote to take the task's branch", () =>
      access(marker).then(
        () => true,
        () => undefined,
      ),
    );
    const taken = git(
      world.repo.bare,
      "for-each-ref",
      "--format=%(refname) %(objectname)",
      "refs/heads/codex/",
    );
    expect(taken.split("\n").filter(Boolean)).toHaveLength(1);
    const [, firstSha] = taken.split(" ");
    await first.kill9();
    await writeFile(release, "");

    const second = await spawnServer(world.env);
    servers.push(second);
    const api = apiClient(second.url);
    const final = await waitFor(
      "the task to finish after the restart",
      async () => {
        const task = await api.task(taskId);
        return isFinal(task) ? task : undefined;
      },
      300_000,
      500,
    );
    expect(`${final.status}:${final.outcome}`, JSON.stringify(final.error)).toBe(
      "completed:pr_opened",
    );
    const pulls = world.github.pullRequests("acme/calc");
    expect(pulls.map((pr) => pr.head.ref)).toEqual([final.branch]);
    // The branch the remote holds now contains the commit it took before the kill.
    // (merge-base --is-ancestor exits 1, and so throws, when it does not.)
    const tip = git(world.repo.bare, "rev-parse", `refs/heads/${final.branch ?? ""}`);
    expect(() =>
      git(world.repo.bare, "merge-base", "--is-ancestor", firstSha ?? "", tip),
    ).not.toThrow();
    const links = world.jira
      .comments("CALC-1")
      .filter((c) => c.body.includes(final.pullRequest?.url ?? "<none>"));
    expect(links).toHaveLength(1);
    await second.stop();
  }, 600_000);
});
