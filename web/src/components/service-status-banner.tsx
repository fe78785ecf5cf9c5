import { useQuery } from "@tanstack/react-query";
import { ServicesResponseSchema, type User } from "../../../shared/index.js";
import { apiJson } from "../api/client.js";

/** Re-read now and then: an admin who fixed a credential restarts the server and looks again. */
const REFRESH_MS = 60_000;

/**
 * Tells admins which upstream service failed the start-up credential check (Codex, Jira,
 * GitHub) and how to fix it; renders nothing for other roles or when all is well.
 */
export function ServiceStatusBanner({ user }: { user: User }) {
  const isAdmin = user.role === "admin";
  const query = useQuery({
    queryKey: ["admin-services"],
    queryFn: ({ signal }) => apiJson(ServicesResponseSchema, "/api/admin/services", { signal }),
    enabled: isAdmin,
    refetchInterval: REFRESH_MS,
    select: (data) => data.services,
  });
  const failed = query.data?.filter((service) => service.state === "failed") ?? [];
  if (!isAdmin || failed.length === 0) return null;
  return (
    <div className="sandbox-banner service-status-banner" role="alert">
      <strong>Service check failed:</strong>{" "}
      {failed.map((service) => (
        <span key={service.name} className="service-status-banner__item">
          {service.message ?? `${service.name} is not available`} ({service.code}).{" "}
        </span>
      ))}
    </div>
  );
}
