import { ZodError } from "zod";
import { AppError } from "../app-error.js";
import type { WebhookDeliveryStore } from "../ports/pull-request-store.js";
import type { AfterPrDeps } from "./after-pr-deps.js";
import { handleGitHubEvent } from "./handle-github-event.js";
import { readGitHubEvent } from "./github-event.js";

/**
 * One signed GitHub delivery: recorded by its id first, so a replay does nothing, then
 * acted on. A delivery whose handling failed is forgotten again, so GitHub's redelivery
 * gets another chance.
 *
 * @throws AppError `validation_error` when an event Patchboard acts on is malformed.
 */
export async function receiveGitHubDelivery(
  deps: AfterPrDeps & { deliveries: WebhookDeliveryStore },
  input: { event: string; deliveryId: string; payload: unknown },
): Promise<string> {
  let event;
  try {
    event = readGitHubEvent(input.event, input.payload, deps.afterPr.mention);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    throw new AppError(
      "validation_error",
      `The ${input.event} event does not have GitHub's shape`,
      {
        cause: error,
      },
    );
  }
  const claimed = await deps.deliveries.claim({
    source: "github",
    id: input.deliveryId,
    event: input.event,
    at: deps.now().toISOString(),
  });
  if (!claimed) return "duplicate";
  if (event === null) return "ignored";
  try {
    const outcome = await handleGitHubEvent(deps, event);
    deps.logger.info(
      { delivery: input.deliveryId, event: input.event, repo: event.repo, outcome },
      "github webhook handled",
    );
    return outcome;
  } catch (error) {
    await deps.deliveries.release("github", input.deliveryId);
    throw error;
  }
}
