import { useQuery } from "@tanstack/react-query";
import { fetchSettings } from "../api/endpoints.js";
import { queryKeys } from "../api/query-keys.js";

/** This installation's settings (mode, repositories, pricing). Rarely changes. */
export function useSettings() {
  return useQuery({
    queryKey: queryKeys.settings,
    queryFn: ({ signal }) => fetchSettings(signal),
    staleTime: 5 * 60_000,
  });
}
