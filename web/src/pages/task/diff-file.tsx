import type { DiffFile as File } from "../../lib/diff.js";

const STATUS_LABELS = {
  added: "added",
  deleted: "deleted",
  modified: "modified",
  renamed: "renamed",
} as const;

const SIGNS = { add: "+", del: "-", context: " ", note: "" } as const;

/** One file of a diff, with old/new line numbers and +/- highlighting. */
export function DiffFile({ file }: { file: File }) {
  return (
    <details className="diff-file" open>
      <summary className="diff-file__head">
        <span className="mono diff-file__path">
          {file.status === "renamed" && file.oldPath ? `${file.oldPath} → ` : ""}
          {file.path}
        </span>
        <span className={`change change--${file.status}`}>{STATUS_LABELS[file.status]}</span>
        <span className="diff-file__stats">
          <span className="diff-stat--add">+{file.additions}</span>{" "}
          <span className="diff-stat--del">−{file.deletions}</span>
        </span>
      </summary>
      {file.binary ? (
        <p className="muted small diff-file__note">Binary file not shown.</p>
      ) : (
        <div className="diff-file__body">
          <table className="diff">
            {file.hunks.map((hunk, h) => (
              <tbody key={h}>
                <tr className="diff__hunk">
                  <td colSpan={3}>{hunk.header}</td>
                </tr>
                {hunk.lines.map((line, i) => (
                  <tr key={i} className={`diff__line diff__line--${line.kind}`}>
                    <td className="diff__num">{line.oldNumber ?? ""}</td>
                    <td className="diff__num">{line.newNumber ?? ""}</td>
                    <td className="diff__code">
                      <span className="diff__sign" aria-hidden="true">
                        {SIGNS[line.kind]}
                      </span>
                      {line.kind === "add" ? (
                        <span className="visually-hidden">added: </span>
                      ) : null}
                      {line.kind === "del" ? (
                        <span className="visually-hidden">removed: </span>
                      ) : null}
                      {line.text}
                    </td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </details>
  );
}
