import type { TicketComment } from "../../../../shared/index.js";
import { Markdown } from "../../components/markdown.js";
import { RelativeTime } from "../../components/relative-time.js";

/** A ticket's comments, oldest first. */
export function CommentList({ comments }: { comments: TicketComment[] }) {
  if (comments.length === 0) return <p className="muted">No comments.</p>;
  return (
    <ol className="comments">
      {comments.map((comment) => (
        <li key={comment.id} className="comment">
          <p className="comment__meta">
            <strong>{comment.author}</strong> · <RelativeTime iso={comment.created} />
          </p>
          <Markdown text={comment.body} />
        </li>
      ))}
    </ol>
  );
}
