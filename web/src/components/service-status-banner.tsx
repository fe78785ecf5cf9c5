import { useQuery } from "@tanstack/react-query";
import { ServicesResponseSchema, type ServiceStatus, type User } from "../../../shared/index.js";
import { apiJson } from "../api/client.js";

/** Re-read now and then: an admin who fixed a credential restarts the server and looks again. */
const REFRESH_MS = 60_000;

function Items({ services }: { services: ServiceStatus[] }) {
  return services.map((service) => (
    <span key={service.name} className="service-status-banner__item">
      {service.message ?? `${service.name} is not available`}
      {service.code === null ? "" : ` (${service.code})`}.{" "}
    </span>
  ));
}

/**
 * Tells admins which upstream service failed the start-up credential check (Codex, Jira,
 * GitHub) and how to fix it, and which daily budget is 80 % spent or more; renders
 * nothing for other roles or when all is well.
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
  const warnings = query.data?.filter((service) => service.state === "warning") ?? [];
  if (!isAdmin || failed.length + warnings.length === 0) return null;
  return (
    // A landmark (aside) holding the messages, so they are inside the page's regions.
    <aside className="sandbox-banner service-status-banner" aria-label="Service status">
      {failed.length === 0 ? null : (
        <div role="alert">
          <strong>Service check failed:</strong> <Items services={failed} />
        </div>
      )}
      {warnings.length === 0 ? null : (
        // A warning is no emergency: announced politely, not as an alert.
        <div role="status">
          <strong>Budget warning:</strong> <Items services={warnings} />
        </div>
      )}
    </aside>
  );
}
