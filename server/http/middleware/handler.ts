import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { ZodType, z } from "zod";
import type { User } from "../../../shared/user.js";
import { AppError } from "../../domain/app-error.js";
import { allows, type Permission } from "../access-policy.js";
import { findRequestUser, requireRequestUser } from "../request-user.js";

/** What a route declares: who may call it and the shapes of its input. */
interface RouteSpec<
  Pm extends Permission | "public",
  B extends ZodType,
  Q extends ZodType,
  P extends ZodType,
> {
  /** Required permission; `"public"` for routes that need no user. */
  permission: Pm;
  body?: B;
  query?: Q;
  params?: P;
}

/** A route's parsed input; a public route's user is whoever is signed in, if anyone. */
export interface RouteInput<B, Q, P, U extends User | undefined = User> {
  body: B;
  query: Q;
  params: P;
  user: U;
  req: Request;
  res: Response;
}

type Infer<T> = T extends ZodType ? z.infer<T> : undefined;

/**
 * Builds a thin route handler: checks the user and permission (401/403), validates body,
 * query and params with the shared schemas (400 naming the fields), then calls `run`.
 * Express 5 forwards a rejected promise to the error middleware.
 */
export function handle<
  Pm extends Permission | "public",
  B extends ZodType = never,
  Q extends ZodType = never,
  P extends ZodType = never,
>(
  spec: RouteSpec<Pm, B, Q, P>,
  run: (
    input: RouteInput<Infer<B>, Infer<Q>, Infer<P>, Pm extends "public" ? User | undefined : User>,
  ) => Promise<void> | void,
): RequestHandler {
  const handler = async (req: Request, res: Response, _next: NextFunction) => {
    const user = spec.permission === "public" ? findRequestUser(req) : requireRequestUser(req);
    if (spec.permission !== "public") {
      if (user === undefined) throw new AppError("unauthorized", "Sign in first");
      if (!allows(user.role, spec.permission)) {
        throw new AppError("forbidden", `Your role (${user.role}) may not do this`);
      }
    }
    const issues: { path: string; message: string }[] = [];
    const parse = <T extends ZodType>(schema: T | undefined, value: unknown, where: string) => {
      if (schema === undefined) return undefined;
      const result = schema.safeParse(value);
      if (result.success) return result.data;
      for (const issue of result.error.issues) {
        const path = issue.path.map(String).join(".");
        issues.push({ path: path ? `${where}.${path}` : where, message: issue.message });
      }
      return undefined;
    };
    const body = parse(spec.body, req.body ?? {}, "body");
    const query = parse(spec.query, req.query, "query");
    const params = parse(spec.params, req.params, "params");
    if (issues.length > 0) {
      throw new AppError(
        "validation_error",
        `Invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
        { details: issues },
      );
    }
    await run({
      body: body as Infer<B>,
      query: query as Infer<Q>,
      params: params as Infer<P>,
      // Checked above for every route but a public one, whose type says it may be undefined.
      user: user as Pm extends "public" ? User | undefined : User,
      req,
      res,
    });
  };
  // The route walk test reads this to check every route against the access policy.
  return Object.assign(handler, { [ROUTE_PERMISSION]: spec.permission });
}

/** Where handle() records a route's permission on its handler, for the route walk. */
export const ROUTE_PERMISSION = Symbol.for("patchboard.route-permission");

/** The permission a route handler built by handle() requires, or undefined for others. */
export function routePermission(handler: unknown): Permission | "public" | undefined {
  if (typeof handler !== "function") return undefined;
  return (handler as { [ROUTE_PERMISSION]?: Permission | "public" })[ROUTE_PERMISSION];
}
