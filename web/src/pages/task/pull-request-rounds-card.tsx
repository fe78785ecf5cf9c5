import { RelativeTime } from "../../components/relative-time.js";
import type { PullRequestRound, RoundResult } from "../../lib/pull-request-rounds.js";

const SOURCE_LABELS: Record<PullRequestRound["source"], string> = {
  ci: "Failing checks",
  review: "Review",
};

function resultText(result: RoundResult): string {
  switch (result.kind) {
    case "running":
      return "Running";
    case "pushed":
      return result.sha ? `Pushed ${result.sha.slice(0, 12)}` : "Pushed a new commit";
    case "no_changes":
      return "Finished without new changes";
    case "failed":
      return `Failed: ${result.message}`;
    case "cancelled":
      return "Cancelled";
  }
}

/**
 * The rounds after the pull request opened, oldest first: what started each (failing
 * checks or a reviewer on GitHub), when, and how it ended. Nothing while there are none.
 */
export function PullRequestRoundsCard({ rounds }: { rounds: PullRequestRound[] }) {
  if (rounds.length === 0) return null;
  return (
    <section className="card" aria-labelledby="rounds-heading">
      <h2 id="rounds-heading">After the pull request</h2>
      <ol className="rounds">
        {rounds.map((round, index) => (
          <li key={round.seq} className="rounds__item">
            <p className="rounds__title">
              Round {index + 1}: {SOURCE_LABELS[round.source]}
              <span className={`tag rounds__result rounds__result--${round.result.kind}`}>
                {resultText(round.result)}
              </span>
            </p>
            <p className="small muted">
              Started by {round.by}, <RelativeTime iso={round.at} />
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
