import { Suspense, useRef } from "react";
import { Outlet } from "react-router";
import type { User } from "../../../shared/index.js";
import { useFocusOnNavigate } from "../hooks/use-focus-on-navigate.js";
import { useSettings } from "../hooks/use-settings.js";
import { AppHeader } from "./app-header.js";
import { LoadingState } from "./loading-state.js";
import { SandboxBanner } from "./sandbox-banner.js";
import { ServiceStatusBanner } from "./service-status-banner.js";

/**
 * The frame of every signed-in page: a skip link, the header (banner landmark with the
 * main navigation), the notices (aside landmarks), then the page in the main landmark.
 * Everything a page renders is inside `main`, so new pieces inherit the landmarks. Focus
 * moves to the new page's heading after each navigation.
 */
export function AppLayout({ user }: { user: User }) {
  const settings = useSettings();
  const main = useRef<HTMLElement>(null);
  useFocusOnNavigate(main);
  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <AppHeader user={user} />
      {settings.data?.mode === "sandbox" ? <SandboxBanner /> : null}
      <ServiceStatusBanner user={user} />
      <main id="main" className="main" tabIndex={-1} ref={main}>
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
