import type { AgentItem } from "../../../../shared/index.js";

type TodoList = Extract<AgentItem, { type: "todo_list" }>;

/** The agent's latest to-do list. */
export function TodoCard({ todo }: { todo: TodoList | null }) {
  const done = todo?.items.filter((item) => item.completed).length ?? 0;
  return (
    <section className="card" aria-labelledby="todo-heading">
      <div className="card__head">
        <h2 id="todo-heading">To-do</h2>
        {todo ? (
          <span className="small muted">
            {done} of {todo.items.length} done
          </span>
        ) : null}
      </div>
      {todo && todo.items.length > 0 ? (
        <ul className="todo">
          {todo.items.map((item, index) => (
            <li
              key={index}
              className={item.completed ? "todo__item todo__item--done" : "todo__item"}
            >
              <span className="todo__check" aria-hidden="true">
                {item.completed ? "✓" : ""}
              </span>
              <span>{item.text}</span>
              <span className="visually-hidden">{item.completed ? " (done)" : " (to do)"}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">The agent has not made a plan yet.</p>
      )}
    </section>
  );
}
