import type { Express } from "express";
import type { Permission } from "./access-policy.js";
import { routePermission } from "./middleware/handler.js";

/** A route the app serves, with the permission its handler declares. */
export interface RouteEntry {
  method: string;
  /** The full path pattern, e.g. `/api/tasks/:id`. */
  path: string;
  /** Undefined when the route was not built with handle() (and so checks nothing). */
  permission: Permission | "public" | undefined;
}

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean>; stack: { handle: unknown }[] };
  handle?: { stack?: LayerLike[] };
}

/**
 * Every route of the app, read from Express's router stack, so a test can walk them all
 * and a route added later cannot be forgotten by the authorization test.
 */
export function listRoutes(app: Express): RouteEntry[] {
  const root = (app as unknown as { router: { stack: LayerLike[] } }).router;
  return walk(root.stack, "");
}

function walk(stack: LayerLike[], prefix: string): RouteEntry[] {
  const routes: RouteEntry[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        if (typeof path !== "string") continue;
        for (const method of Object.keys(layer.route.methods)) {
          const handlers = layer.route.stack.map((l) => routePermission(l.handle));
          routes.push({
            method: method.toUpperCase(),
            path: `${prefix}${path}`,
            permission: handlers.find((p) => p !== undefined),
          });
        }
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === "string" && layer.rawPath !== "/" ? layer.rawPath : "";
      routes.push(...walk(layer.handle.stack, `${prefix}${mount}`));
    }
  }
  return routes;
}
