import { z } from "zod";
import { RoleSchema } from "./user.js";

/** A signed-in browser session as an admin sees it (`GET /api/admin/sessions`). */
export const AdminSessionSchema = z.object({
  /** Opaque; revoke with `POST /api/admin/sessions/:id/revoke`. */
  id: z.string(),
  email: z.string(),
  name: z.string(),
  /** The role today's configuration gives; null when it gives none (no access). */
  role: RoleSchema.nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  /**
   * When the session last made a request, to within a minute (recorded at most once a
   * minute); null for a session signed in before Patchboard kept this.
   */
  lastSeenAt: z.string().nullable(),
});
/** A session as an admin sees it. */
export type AdminSession = z.infer<typeof AdminSessionSchema>;

/** `GET /api/admin/sessions` */
export const AdminSessionListResponseSchema = z.object({ sessions: z.array(AdminSessionSchema) });
/** `GET /api/admin/sessions` */
export type AdminSessionListResponse = z.infer<typeof AdminSessionListResponseSchema>;

/** The `:id` of a session route. */
export const SessionIdParamsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/) });
