import { Link } from "react-router";

/** Shown for any address the app does not know. */
export function NotFoundPage() {
  return (
    <section className="page page--narrow">
      <p className="eyebrow">404</p>
      <h1>Page not found</h1>
      <p>There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <Link to="/" className="button">
          Back to tickets
        </Link>
      </p>
    </section>
  );
}
