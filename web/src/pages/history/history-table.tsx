import type { Pricing, TaskSummary } from "../../../../shared/index.js";
import { HistoryRow } from "./history-row.js";

/** The History table. */
export function HistoryTable({
  tasks,
  pricing,
}: {
  tasks: TaskSummary[];
  pricing: Pricing | undefined;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Tasks, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Who</th>
            <th scope="col">Started</th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col">Outcome</th>
            <th scope="col">Pull request</th>
            <th scope="col" className="num">
              Tokens
            </th>
            <th scope="col" className="num">
              Est. cost
            </th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <HistoryRow key={task.id} task={task} pricing={pricing} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
