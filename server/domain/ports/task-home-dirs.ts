/**
 * Directories a task keeps outside its worktree: the agent's own home, Codex home and
 * temporary directory (`DATA_DIR/agent-homes/<id>`), and the home and temporary
 * directory its setup and test commands ran with (`DATA_DIR/environments/<repo>/…/<id>`).
 * Nightly reviews (`review-…`) and the warm worktrees' environment (`warm`) have them too.
 */
export interface TaskHomeDirs {
  /** The ids (task ids, review checkouts, warm owners) that have such a directory on disk. */
  listIds(): Promise<string[]>;
  /**
   * Removes every such directory of `id`; nothing when there is none. With `keepThread`,
   * what a later follow-up needs to resume the agent's thread is kept elsewhere first.
   */
  remove(id: string, options: { keepThread: boolean }): Promise<void>;
}
