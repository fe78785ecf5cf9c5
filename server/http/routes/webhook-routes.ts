import { Router, type Request } from "express";
import { AppError } from "../../domain/app-error.js";
import type { AfterPrDeps } from "../../domain/after-pr/after-pr-deps.js";
import { receiveGitHubDelivery } from "../../domain/after-pr/receive-github-delivery.js";
import { startFixFromJira } from "../../domain/after-pr/start-fix-from-jira.js";
import type { WebhookDeliveryStore } from "../../domain/ports/pull-request-store.js";
import { handle } from "../middleware/handler.js";
import { findRequestUser } from "../request-user.js";
import { validHubSignature } from "../webhook-signature.js";

/** What the webhook routes need. */
export interface WebhookRouteDeps {
  afterPr: AfterPrDeps & { deliveries: WebhookDeliveryStore };
  githubSecret: string | null;
  jiraSecret: string | null;
  jiraTriggerLabel: string;
}

/** The raw body `express.raw` kept for these routes: signatures are over the exact bytes. */
function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

function json(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new AppError("validation_error", "The body is not JSON", { cause: error });
  }
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * `POST /api/webhooks/github` and `POST /api/webhooks/jira`. No session: each delivery
 * proves itself with an HMAC signature of its raw body (or, for Jira Automation, a
 * service token), checked before anything is read or done.
 */
export function webhookRoutes(deps: WebhookRouteDeps): Router {
  const router = Router();
  router.post(
    "/webhooks/github",
    handle({ permission: "public" }, async ({ req, res }) => {
      const raw = rawBody(req);
      if (!validHubSignature(deps.githubSecret, raw, header(req, "x-hub-signature-256"))) {
        throw new AppError("unauthorized", "The X-Hub-Signature-256 signature is not valid");
      }
      const event = header(req, "x-github-event");
      const deliveryId = header(req, "x-github-delivery");
      if (!event || !deliveryId) {
        throw new AppError("validation_error", "X-GitHub-Event and X-GitHub-Delivery are required");
      }
      const outcome = await receiveGitHubDelivery(deps.afterPr, {
        event,
        deliveryId,
        payload: json(raw),
      });
      res.status(202).json({ status: outcome });
    }),
  );
  router.post(
    "/webhooks/jira",
    handle({ permission: "public" }, async ({ req, res }) => {
      const raw = rawBody(req);
      // A service token (Jira Automation) was checked by `authenticate`: a wrong one is a 401 there.
      const viaToken =
        /^bearer\s/i.test(req.headers.authorization ?? "") && findRequestUser(req) !== undefined;
      if (!viaToken && !validHubSignature(deps.jiraSecret, raw, header(req, "x-hub-signature"))) {
        throw new AppError(
          "unauthorized",
          "Sign the webhook (X-Hub-Signature) or send a service token",
        );
      }
      const outcome = await startFixFromJira(deps.afterPr, {
        via: viaToken ? "automation" : "webhook",
        payload: json(raw),
        label: deps.jiraTriggerLabel,
        deliveryId: header(req, "x-atlassian-webhook-identifier") ?? null,
      });
      if (outcome.status === "started" || outcome.status === "already_active") {
        res.status(outcome.status === "started" ? 202 : 200).json({
          status: outcome.status,
          taskId: outcome.task.id,
        });
        return;
      }
      res.status(200).json(outcome);
    }),
  );
  return router;
}
