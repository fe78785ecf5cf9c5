import { z } from "zod";

/** What a person may do: product managers start fixes, engineers also follow up, admins see everything. */
export const RoleSchema = z.enum(["pm", "engineer", "admin"]);
/** A user's role. */
export type Role = z.infer<typeof RoleSchema>;

/** The signed-in user (a person or a service token). */
export const UserSchema = z.object({
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
});
/** The signed-in user. */
export type User = z.infer<typeof UserSchema>;

/** `GET /api/me` */
export const MeResponseSchema = z.object({ user: UserSchema });
/** `GET /api/me` */
export type MeResponse = z.infer<typeof MeResponseSchema>;

/** `GET /api/health` */
export const HealthResponseSchema = z.object({
  status: z.literal("ok"),
  mode: z.enum(["production", "sandbox"]),
  version: z.string(),
});
/** `GET /api/health` */
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
