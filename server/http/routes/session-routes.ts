import { Router } from "express";
import { SessionIdParamsSchema, type AdminSessionListResponse } from "../../../shared/session.js";
import { AppError } from "../../domain/app-error.js";
import type { SessionStore } from "../../domain/ports/session-store.js";
import { handle } from "../middleware/handler.js";
import { currentUser, publicSessionId, type SessionRoleSources } from "../session-role.js";

/**
 * Admins list the live browser sessions (with the role each has today) and revoke one:
 * the person's next request is signed out. Service tokens are configuration, not sessions.
 */
export function sessionRoutes(deps: { sessions: SessionStore } & SessionRoleSources): Router {
  const router = Router();
  router.get(
    "/admin/sessions",
    handle({ permission: "sessions:manage" }, async ({ res }) => {
      const sessions = await deps.sessions.list();
      const body: AdminSessionListResponse = {
        sessions: sessions.map((session) => ({
          id: publicSessionId(session),
          email: session.user.email,
          name: session.user.name,
          role: currentUser(session, deps)?.role ?? null,
          createdAt: session.createdAt,
          expiresAt: session.expiresAt,
          lastSeenAt: session.lastSeenAt,
        })),
      };
      res.json(body);
    }),
  );
  router.post(
    "/admin/sessions/:id/revoke",
    handle(
      { permission: "sessions:manage", params: SessionIdParamsSchema },
      async ({ params, user, req, res }) => {
        const sessions = await deps.sessions.list();
        const session = sessions.find((s) => publicSessionId(s) === params.id);
        if (session === undefined) throw new AppError("not_found", "No such session");
        await deps.sessions.delete(session.idHash);
        req.log.info({ by: user.email, user: session.user.email }, "session revoked");
        res.status(204).end();
      },
    ),
  );
  return router;
}
