import { z } from "zod";
import { ErrorCodeSchema } from "./errors.js";

/** The upstream services Patchboard needs, each checked once at start-up. */
export const ServiceNameSchema = z.enum(["codex", "jira", "github"]);
/** An upstream service. */
export type ServiceName = z.infer<typeof ServiceNameSchema>;

/** How the start-up check of one service went. */
export const ServiceStatusSchema = z.object({
  name: ServiceNameSchema,
  /** `pending` until the check has answered. */
  state: z.enum(["pending", "ok", "failed"]),
  /** Why it failed (`codex_auth`, `jira_unavailable`…); null unless failed. */
  code: ErrorCodeSchema.nullable(),
  /** What is wrong and how to fix it, in words; null unless failed. */
  message: z.string().nullable(),
  /** ISO 8601; null while pending. */
  checkedAt: z.string().nullable(),
});
/** How the start-up check of one service went. */
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;

/** `GET /api/admin/services` (admins only). */
export const ServicesResponseSchema = z.object({ services: z.array(ServiceStatusSchema) });
/** `GET /api/admin/services`. */
export type ServicesResponse = z.infer<typeof ServicesResponseSchema>;
