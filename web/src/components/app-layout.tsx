import { Outlet } from "react-router";
import type { User } from "../../../shared/index.js";
import { useSettings } from "../hooks/use-settings.js";
import { AppHeader } from "./app-header.js";
import { SandboxBanner } from "./sandbox-banner.js";
import { ServiceStatusBanner } from "./service-status-banner.js";

/** The frame of every signed-in page: header, sandbox banner, the page. */
export function AppLayout({ user }: { user: User }) {
  const settings = useSettings();
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppHeader user={user} />
      {settings.data?.mode === "sandbox" ? <SandboxBanner /> : null}
      <ServiceStatusBanner user={user} />
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
