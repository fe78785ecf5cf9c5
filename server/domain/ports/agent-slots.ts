/** Who is asking for a slot: fix tasks are interactive, reviews are batch work. */
export type SlotPriority = "task" | "review";

/**
 * The one limit on how many agent runs go at once on a worker (`MAX_CONCURRENT_TASKS`),
 * shared by fix tasks and nightly reviews, whichever process runs them (the server and
 * `npm run review`). Waiting tasks are served before waiting reviews: someone waiting on
 * a "Fix this bug" button should not queue behind thirty pull requests of a nightly run,
 * while reviews still use idle capacity.
 */
export interface AgentSlots {
  /**
   * Runs `work` once a slot is free and frees it afterwards. When `signal` aborts while
   * waiting, `work` runs at once without a slot: it sees the aborted signal and winds
   * down (a cancelled task must still reach a final state).
   */
  run<T>(priority: SlotPriority, signal: AbortSignal, work: () => Promise<T>): Promise<T>;
}
