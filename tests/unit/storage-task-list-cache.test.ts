import { TaskListCache } from "../../server/adapters/storage/task-list-cache.js";
import type { TaskPage } from "../../server/domain/ports/task-store.js";
import { TaskListQuerySchema } from "../../shared/task.js";

const q = (raw: Record<string, string>) => TaskListQuerySchema.parse(raw);
const page = (cursor: string | null): TaskPage => ({ tasks: [], nextCursor: cursor });

describe("TaskListCache", () => {
  it("serves a page only at the version it was read at", () => {
    const cache = new TaskListCache();
    const stored = cache.set(q({ status: "failed" }), "1:0", page("a"));
    expect(cache.get(q({ status: "failed" }), "1:0")).toBe(stored);
    expect(cache.get(q({ status: "failed" }), "2:0")).toBeUndefined();
    // A stale entry is dropped, not kept for a version that never comes back.
    expect(cache.size).toBe(0);
  });

  it("keys by the filters, not by their order or by absent ones", () => {
    const cache = new TaskListCache();
    cache.set({ limit: 50, status: "failed", repo: "acme/a" }, "v", page("a"));
    expect(
      cache.get({ repo: "acme/a", status: "failed", limit: 50, cursor: undefined }, "v"),
    ).toEqual(page("a"));
    expect(cache.get({ repo: "acme/a", status: "failed", limit: 20 }, "v")).toBeUndefined();
    expect(cache.get({ repo: "acme/b", status: "failed", limit: 50 }, "v")).toBeUndefined();
  });

  it("evicts the least recently used page beyond its size", () => {
    const cache = new TaskListCache(2);
    cache.set(q({ repo: "a" }), "v", page("a"));
    cache.set(q({ repo: "b" }), "v", page("b"));
    expect(cache.get(q({ repo: "a" }), "v")).toBeDefined(); // a is now the most recent
    cache.set(q({ repo: "c" }), "v", page("c"));
    expect(cache.size).toBe(2);
    expect(cache.get(q({ repo: "b" }), "v")).toBeUndefined();
    expect(cache.get(q({ repo: "a" }), "v")?.nextCursor).toBe("a");
    expect(cache.get(q({ repo: "c" }), "v")?.nextCursor).toBe("c");
  });

  it("freezes what it shares", () => {
    const cache = new TaskListCache();
    const stored = cache.set(q({}), "v", { tasks: [], nextCursor: null });
    expect(() => {
      (stored as { nextCursor: string | null }).nextCursor = "changed";
    }).toThrow(TypeError);
  });
});
