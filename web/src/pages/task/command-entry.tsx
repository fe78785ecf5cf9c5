import type { AgentItem } from "../../../../shared/index.js";

type Command = Extract<AgentItem, { type: "command_execution" }>;

function ExitBadge({ command }: { command: Command }) {
  if (command.status === "in_progress")
    return <span className="badge badge--running">running</span>;
  if (command.status === "declined") return <span className="badge">declined</span>;
  if (command.exit_code === undefined)
    return (
      <span className={`badge ${command.status === "failed" ? "badge--bad" : ""}`}>
        {command.status}
      </span>
    );
  return (
    <span className={`badge ${command.exit_code === 0 ? "badge--good" : "badge--bad"}`}>
      exit {command.exit_code}
    </span>
  );
}

/** A command the agent ran: the command, its exit code, its output folded. */
export function CommandEntry({ command }: { command: Command }) {
  const output = command.aggregated_output.trimEnd();
  return (
    <div className="command">
      <div className="command__head">
        <code className="command__text">
          <span aria-hidden="true">$ </span>
          {command.command}
        </code>
        <ExitBadge command={command} />
      </div>
      {output ? (
        <details className="command__output">
          <summary>Output ({output.split("\n").length} lines)</summary>
          <pre>{output}</pre>
        </details>
      ) : null}
    </div>
  );
}
