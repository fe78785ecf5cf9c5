import { Markdown } from "../../components/markdown.js";
import { formatShort } from "../../lib/format.js";
import type { ActivityEntry as Entry } from "../../lib/task-activity.js";
import { CommandEntry } from "./command-entry.js";

const TURN_LABELS = {
  analyze: "Analysis turn",
  fix: "Fix turn",
  follow_up: "Follow-up",
  prompt: "Prompt",
  resume: "Resumed",
} as const;

const CHANGE_LABELS = { add: "added", delete: "deleted", update: "modified" } as const;

function looksLikeJson(text: string): boolean {
  const t = text.trim();
  return t.startsWith("{") && t.endsWith("}");
}

/** One line of the activity timeline, rendered by kind. */
export function ActivityEntry({ entry }: { entry: Entry }) {
  const time = (
    <time className="activity__time" dateTime={entry.at}>
      {formatShort(entry.at)}
    </time>
  );
  if (entry.kind === "turn") {
    const { turn } = entry;
    const short = turn.kind === "follow_up" || turn.kind === "prompt";
    return (
      <li className="activity__item activity__item--turn">
        <div className="activity__line">
          <strong>{TURN_LABELS[turn.kind]}</strong>
          {turn.requestedBy ? <span className="muted"> by {turn.requestedBy}</span> : null}
          {time}
        </div>
        {short ? (
          <blockquote className="activity__prompt">{turn.prompt}</blockquote>
        ) : (
          <details className="activity__details">
            <summary>Prompt given to the agent</summary>
            <pre>{turn.prompt}</pre>
          </details>
        )}
      </li>
    );
  }
  if (entry.kind === "log") {
    return (
      <li className={`activity__item activity__item--log activity__item--${entry.level}`}>
        <div className="activity__line">
          <span className="small">
            {entry.level === "error" ? "Error: " : entry.level === "warn" ? "Warning: " : ""}
            {entry.message}
          </span>
          {time}
        </div>
      </li>
    );
  }
  const { item } = entry;
  switch (item.type) {
    case "agent_message":
      return (
        <li className="activity__item activity__item--message">
          <div className="activity__line">
            <strong>Agent</strong>
            {time}
          </div>
          {looksLikeJson(item.text) ? (
            <pre className="code-block">{item.text}</pre>
          ) : (
            <Markdown text={item.text} />
          )}
        </li>
      );
    case "reasoning":
      return (
        <li className="activity__item activity__item--reasoning">
          <span className="visually-hidden">Reasoning: </span>
          <Markdown text={item.text} />
        </li>
      );
    case "command_execution":
      return (
        <li className="activity__item activity__item--command">
          <CommandEntry command={item} />
        </li>
      );
    case "file_change":
      return (
        <li className="activity__item activity__item--files">
          <div className="activity__line">
            <span>
              {item.status === "failed" || item.status === "declined"
                ? `Could not change (${item.status})`
                : "Changed"}{" "}
              {item.changes.length} file{item.changes.length === 1 ? "" : "s"}
            </span>
            {time}
          </div>
          <ul className="file-list">
            {item.changes.map((change) => (
              <li key={change.path} className="file-list__item">
                <span className={`change change--${change.kind}`}>
                  {CHANGE_LABELS[change.kind]}
                </span>
                <span className="mono small">{change.path}</span>
              </li>
            ))}
          </ul>
        </li>
      );
    case "mcp_tool_call":
      return (
        <li className="activity__item activity__item--log">
          <span className="small">
            Tool <span className="mono">{`${item.server}.${item.tool}`}</span> — {item.status}
            {item.error ? `: ${item.error.message}` : ""}
          </span>
        </li>
      );
    case "web_search":
      return (
        <li className="activity__item activity__item--log">
          <span className="small">Searched the web for “{item.query}”</span>
        </li>
      );
    case "error":
      return (
        <li className="activity__item activity__item--log activity__item--warn">
          <span className="small">Agent reported: {item.message}</span>
        </li>
      );
    case "todo_list":
      return null;
  }
}
