import path from "node:path";
import { taskHomes } from "../../server/adapters/codex/task-homes.js";

describe("taskHomes", () => {
  it("puts a task's HOME, CODEX_HOME and TMPDIR in its own directory under the root", () => {
    expect(taskHomes("/data/agent-homes", "review-6f1c2f4e")).toEqual({
      dir: path.join("/data/agent-homes", "review-6f1c2f4e"),
      home: path.join("/data/agent-homes", "review-6f1c2f4e", "home"),
      codexHome: path.join("/data/agent-homes", "review-6f1c2f4e", "codex-home"),
      tmp: path.join("/data/agent-homes", "review-6f1c2f4e", "tmp"),
    });
  });

  it.each(["..", "a/../../etc", "task.1", ".hidden", "", "a b", "x".repeat(129)])(
    "refuses %j, as the worktrees and the diff archive do",
    (id) => {
      expect(() => taskHomes("/data/agent-homes", id)).toThrow(
        `Not a usable task id for a directory: ${id}`,
      );
    },
  );
});
