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
  /** Where the sign-in button goes (single sign-on); absent in dev and proxy mode. */
  loginUrl: z.string().optional(),
});
/** `GET /api/auth/config` */
export type AuthConfigResponse = z.infer<typeof AuthConfigResponseSchema>;

/** `POST /api/auth/dev-login` */
export const DevLoginRequestSchema = z
  .object({ email: z.string().trim().min(1).max(320) })
  .strict();
/** `POST /api/auth/dev-login` */
export type DevLoginRequest = z.infer<typeof DevLoginRequestSchema>;

/**
 * `POST /api/auth/logout` with single sign-on: where to send the browser to end the
 * identity provider's session too. Other modes answer 204 without a body.
 */
export const LogoutResponseSchema = z.object({ logoutUrl: z.string() });
/** `POST /api/auth/logout` */
export type LogoutResponse = z.infer<typeof LogoutResponseSchema>;

/**
 * `details` of the 403 `forbidden` that `GET /api/me` answers for someone who signed in
 * but has no role: who they are, so the page can tell them what to ask an admin for.
 */
export const NoRoleDetailsSchema = z.object({
  reason: z.literal("no_role"),
  email: z.string(),
  name: z.string(),
});
/** Details of the "signed in without a role" 403. */
export type NoRoleDetails = z.infer<typeof NoRoleDetailsSchema>;

/** The header the web app sends on every state-changing request (CSRF defence). */
export const CSRF_HEADER = "X-Patchboard-CSRF";

/**
 * Why a single sign-on came back without a session. The callback is a browser navigation,
 * so instead of an error body it redirects to the app with `?signInError=<reason>`, and the
 * sign-in page says what happened in its own words (never text taken from the URL).
 */
export const SignInErrorSchema = z.enum(["expired", "denied", "unavailable", "failed"]);
/** Why a single sign-on failed. */
export type SignInError = z.infer<typeof SignInErrorSchema>;
/** The query parameter that carries a {@link SignInError} to the sign-in page. */
export const SIGN_IN_ERROR_PARAM = "signInError";
