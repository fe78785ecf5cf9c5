import { lazy } from "react";
import { Route, Routes } from "react-router";
import type { User } from "../../shared/index.js";
import { AppLayout } from "./components/app-layout.js";
import { RequireRole } from "./components/require-role.js";
import { NewTaskPage } from "./pages/new-task-page.js";
import { NotFoundPage } from "./pages/not-found-page.js";
import { TicketsPage } from "./pages/tickets/tickets-page.js";

const TicketPage = lazy(() =>
  import("./pages/ticket/ticket-page.js").then((m) => ({ default: m.TicketPage })),
);
const TaskPage = lazy(() =>
  import("./pages/task/task-page.js").then((m) => ({ default: m.TaskPage })),
);
const HistoryPage = lazy(() =>
  import("./pages/history/history-page.js").then((m) => ({ default: m.HistoryPage })),
);
const SessionsPage = lazy(() =>
  import("./pages/sessions/sessions-page.js").then((m) => ({ default: m.SessionsPage })),
);
const ReviewsPage = lazy(() =>
  import("./pages/reviews/reviews-page.js").then((m) => ({ default: m.ReviewsPage })),
);

/**
 * The signed-in app's routes. Ticket, Task, History, Reviews and Sessions load on demand, inside the layout
 * (its Suspense), so the header and the main landmark stay while a page loads.
 */
export function AppRoutes({ user }: { user: User }) {
  return (
    <Routes>
      <Route element={<AppLayout user={user} />}>
        <Route index element={<TicketsPage />} />
        <Route path="tickets/:key" element={<TicketPage />} />
        <Route
          path="tasks/new"
          element={
            <RequireRole roles={["engineer", "admin"]}>
              <NewTaskPage />
            </RequireRole>
          }
        />
        <Route path="tasks/:id" element={<TaskPage />} />
        <Route
          path="history"
          element={
            <RequireRole roles={["admin"]}>
              <HistoryPage />
            </RequireRole>
          }
        />
        <Route
          path="reviews"
          element={
            <RequireRole roles={["engineer", "admin"]}>
              <ReviewsPage />
            </RequireRole>
          }
        />
        <Route
          path="sessions"
          element={
            <RequireRole roles={["admin"]}>
              <SessionsPage />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
