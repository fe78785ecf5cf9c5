import { z } from "zod";
import { RoleSchema } from "./user.js";

/** How people sign in. `dev` lists configured users to pick from (local development, sandbox, tests). */
export const AuthModeSchema = z.enum(["dev", "oidc", "proxy"]);
/** How people sign in. */
export type AuthMode = z.infer<typeof AuthModeSchema>;

/** `GET /api/auth/config`: what the sign-in page should offer. Public. */
export const AuthConfigResponseSchema = z.object({
  mode: AuthModeSchema,
  sandbox: z.boolean(),
  /** In dev mode, the users one may sign in as. */
  devUsers: z.array(z.object({ email: z.string(), name: z.string(), role: RoleSchema })),
});
/** `GET /api/auth/config` */
export type AuthConfigResponse = z.infer<typeof AuthConfigResponseSchema>;

/** `POST /api/auth/dev-login` */
export const DevLoginRequestSchema = z
  .object({ email: z.string().trim().min(1).max(320) })
  .strict();
/** `POST /api/auth/dev-login` */
export type DevLoginRequest = z.infer<typeof DevLoginRequestSchema>;
