import type { TaskStore } from "../ports/task-store.js";

/**
 * The store as one run sees it: every status change is also conditional on `owner`
 * still holding the task, so a run that lost its lease (cancelled from another node,
 * taken over after a stall) never overwrites what happened since. A proxy rather than
 * a spread, so a store that is a class instance keeps its methods. `onLeft` is called
 * when one of its status changes took the task out of `running`.
 */
export function ownedStore(store: TaskStore, owner: string, onLeft?: () => void): TaskStore {
  const transition: TaskStore["transition"] = async (id, from, patch, guard) => {
    const task = await store.transition(id, from, patch, guard ?? { owner });
    // Leaving `running` drops the lease in the database; `onLeft` lets the holder know
    // before anything else hears of it.
    if (task !== null && task.status !== "running") onLeft?.();
    return task;
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === "transition") return transition;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as () => unknown).bind(target) : value;
    },
  });
}
