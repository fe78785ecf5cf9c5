import { useQuery } from "@tanstack/react-query";
import type { Role, User } from "../../../shared/index.js";
import { fetchMe } from "../api/endpoints.js";
import { queryKeys } from "../api/query-keys.js";

/** The `me` query: the signed-in user, or null when nobody is. */
export function useMeQuery() {
  return useQuery({ queryKey: queryKeys.me, queryFn: ({ signal }) => fetchMe(signal) });
}

/** The signed-in user. Only call below the sign-in gate, where it is known. */
export function useCurrentUser(): User {
  const { data } = useMeQuery();
  if (!data) throw new Error("useCurrentUser called outside the signed-in app");
  return data;
}

/** Whether the role may use engineer tools (new task, follow-ups). */
export function canUseAgentTools(role: Role): boolean {
  return role === "engineer" || role === "admin";
}
