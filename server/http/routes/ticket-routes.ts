import { Router } from "express";
import { z } from "zod";
import { TicketKeySchema, TicketListQuerySchema } from "../../../shared/ticket.js";
import type { TicketListResponse, TicketResponse } from "../../../shared/ticket.js";
import type { IssueTracker } from "../../domain/ports/issue-tracker.js";
import type { TaskStore } from "../../domain/ports/task-store.js";
import type { RepoRegistry } from "../../domain/repo-registry.js";
import { getTicket } from "../../domain/tickets/get-ticket.js";
import { listTickets } from "../../domain/tickets/list-tickets.js";
import { handle } from "../middleware/handler.js";

/** The Jira bugs, with their active tasks. */
export function ticketRoutes(deps: {
  tracker: IssueTracker;
  store: TaskStore;
  repos: RepoRegistry;
}): Router {
  const router = Router();
  router.get(
    "/tickets",
    handle({ permission: "tickets:read", query: TicketListQuerySchema }, async ({ query, res }) => {
      const body: TicketListResponse = await listTickets(deps, query);
      res.json(body);
    }),
  );
  router.get(
    "/tickets/:key",
    handle(
      { permission: "tickets:read", params: z.object({ key: TicketKeySchema }) },
      async ({ params, res }) => {
        const body: TicketResponse = { ticket: await getTicket(deps, params.key) };
        res.json(body);
      },
    ),
  );
  return router;
}
