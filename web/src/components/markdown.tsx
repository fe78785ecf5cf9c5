import ReactMarkdown from "react-markdown";
import type { Components } from "react-markdown";

const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  // Images in ticket text could track readers or load anything: show them as links instead.
  img: ({ src, alt }) =>
    typeof src === "string" ? (
      <a href={src} target="_blank" rel="noreferrer noopener">
        {alt || src}
      </a>
    ) : null,
};

/**
 * Markdown from Jira or the agent, rendered safely. Raw HTML is never parsed into
 * elements: there is no rehype-raw, so react-markdown shows it as literal text (a bug
 * report about `<script>` keeps its words). Unsafe URLs (`javascript:`) are dropped by
 * react-markdown's default URL transform, links open in a new tab, images become links.
 */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown components={components}>{text}</ReactMarkdown>
    </div>
  );
}
