import type { RenderOptions } from "./fake-jira-render.js";
import type { FakeJiraState } from "./fake-jira-state.js";
import type { FakeJiraFlavor } from "./fake-jira-types.js";

/** A parsed request, as handlers see it. */
export interface ApiRequest {
  method: string;
  params: string[];
  query: URLSearchParams;
  body: unknown;
}

/** What a handler answers. */
export interface ApiResponse {
  status: number;
  json?: unknown;
  html?: string;
}

/** What the handlers share. */
export interface ApiContext {
  state: FakeJiraState;
  flavor: FakeJiraFlavor;
  baseUrl: string;
  /** Display name of the authenticated user (author of added comments). */
  userName: string;
  userEmail: string;
}

/** A route handler. */
export type Handler = (request: ApiRequest, context: ApiContext) => ApiResponse;

/** Jira's error body. */
export function jiraError(status: number, ...messages: string[]): ApiResponse {
  return { status, json: { errorMessages: messages, errors: {} } };
}

/** The value as a plain object, or an empty one. */
export function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** A non-negative integer parameter; null when malformed. */
export function intParam(value: unknown, fallback: number): number | null {
  if (value === undefined || value === null || value === "") return fallback;
  const number = Number(value);
  return Number.isInteger(number) && number >= 0 ? number : null;
}

/** A `fields` parameter: an array, a comma-separated string, or null when absent. */
export function fieldList(value: unknown): string[] | null {
  if (Array.isArray(value)) return value.filter((f): f is string => typeof f === "string");
  if (typeof value === "string" && value !== "") return value.split(",").map((f) => f.trim());
  return null;
}

/** Render options for a REST version. */
export function render(context: ApiContext, version: 2 | 3): RenderOptions {
  return { version, flavor: context.flavor, baseUrl: context.baseUrl };
}
