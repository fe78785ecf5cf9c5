import { describe, expect, it } from "vitest";
import { deriveActivity } from "../../../web/src/lib/task-activity.js";
import { estimateCost } from "../../../web/src/lib/cost.js";
import { makeEvent } from "../../support/web-fixtures.js";

describe("deriveActivity", () => {
  it("updates items in place, keeps the latest to-do list and collects changed files", () => {
    const todo = (done: boolean) => ({
      type: "agent" as const,
      payload: {
        type: "item.updated" as const,
        item: { id: "t", type: "todo_list" as const, items: [{ text: "fix", completed: done }] },
      },
    });
    const activity = deriveActivity([
      makeEvent(1, {
        type: "task.turn",
        payload: { kind: "analyze", prompt: "p", requestedBy: null },
      }),
      makeEvent(2, todo(false)),
      makeEvent(3, todo(true)),
      makeEvent(4, {
        type: "agent",
        payload: {
          type: "item.completed",
          item: {
            id: "f",
            type: "file_change",
            changes: [
              { path: "a.ts", kind: "add" },
              { path: "b.ts", kind: "update" },
            ],
            status: "completed",
          },
        },
      }),
      makeEvent(5, {
        type: "agent",
        payload: {
          type: "item.completed",
          item: {
            id: "g",
            type: "file_change",
            changes: [{ path: "a.ts", kind: "update" }],
            status: "completed",
          },
        },
      }),
      makeEvent(6, { type: "agent", payload: { type: "turn.failed", message: "boom" } }),
      makeEvent(7, {
        type: "agent",
        payload: {
          type: "turn.completed",
          usage: { inputTokens: 5, cachedInputTokens: 1, outputTokens: 2 },
        },
      }),
    ]);
    expect(activity.todo?.items).toEqual([{ text: "fix", completed: true }]);
    expect(activity.timeline.map((e) => e.kind)).toEqual(["turn", "item", "item", "item", "log"]);
    expect(activity.changedFiles).toEqual([
      { path: "a.ts", kind: "add" },
      { path: "b.ts", kind: "update" },
    ]);
    expect(activity.turnUsage).toHaveLength(1);
    expect(activity.lastSeq).toBe(7);
  });
});

describe("estimateCost", () => {
  it("prices uncached input, cached input and output separately", () => {
    const pricing = {
      currency: "USD",
      inputPerMillion: 2,
      cachedInputPerMillion: 0.5,
      outputPerMillion: 8,
    };
    expect(
      estimateCost(
        { inputTokens: 1_000_000, cachedInputTokens: 250_000, outputTokens: 100_000 },
        pricing,
      ),
    ).toBeCloseTo(1.5 + 0.125 + 0.8);
  });
});
