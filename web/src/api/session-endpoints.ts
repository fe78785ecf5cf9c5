import { AdminSessionListResponseSchema } from "../../../shared/index.js";
import type { AdminSession } from "../../../shared/index.js";
import { apiJson, apiVoid } from "./client.js";

/** Admins: every live browser session, newest first, with the role each has today. */
export async function fetchAdminSessions(signal?: AbortSignal): Promise<AdminSession[]> {
  return (await apiJson(AdminSessionListResponseSchema, "/api/admin/sessions", { signal }))
    .sessions;
}

/** Admins: ends a session; its person's next request is signed out. */
export function revokeSession(id: string): Promise<void> {
  return apiVoid(`/api/admin/sessions/${encodeURIComponent(id)}/revoke`, { method: "POST" });
}
