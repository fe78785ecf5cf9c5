const KIND_LABELS = { add: "added", delete: "deleted", update: "modified" } as const;

interface ChangedFilesCardProps {
  files: { path: string; kind: "add" | "delete" | "update" }[];
}

/** The files the agent changed so far. */
export function ChangedFilesCard({ files }: ChangedFilesCardProps) {
  return (
    <section className="card" aria-labelledby="files-heading">
      <div className="card__head">
        <h2 id="files-heading">Files changed</h2>
        <span className="small muted">{files.length}</span>
      </div>
      {files.length > 0 ? (
        <ul className="file-list">
          {files.map((file) => (
            <li key={file.path} className="file-list__item">
              <span className={`change change--${file.kind}`}>{KIND_LABELS[file.kind]}</span>
              <span className="mono small file-list__path">{file.path}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">No files changed yet.</p>
      )}
    </section>
  );
}
