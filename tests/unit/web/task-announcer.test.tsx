// @vitest-environment jsdom
import "../../support/web-setup.js";
import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Task } from "../../../shared/index.js";
import { TaskAnnouncer } from "../../../web/src/pages/task/task-announcer.js";

type Announced = Pick<Task, "status" | "phase" | "pullRequest">;

const PR = { url: "https://github.com/acme/calc/pull/12", number: 12, draft: false };

function region(): HTMLElement {
  return screen.getByRole("status", { name: "Task status" });
}

describe("TaskAnnouncer", () => {
  it("is one polite, atomic live region", () => {
    render(<TaskAnnouncer task={{ status: "queued", phase: "queued", pullRequest: null }} />);
    expect(region()).toHaveAttribute("aria-live", "polite");
    expect(region()).toHaveAttribute("aria-atomic", "true");
    expect(region().textContent).toBe("Queued.");
  });

  it("says each status and phase change, then the pull request's arrival, once", () => {
    const steps: [Announced, string][] = [
      [{ status: "running", phase: "analyzing", pullRequest: null }, "Running: Analyzing."],
      [{ status: "running", phase: "fixing", pullRequest: null }, "Running: Fixing."],
      [{ status: "running", phase: "publishing", pullRequest: null }, "Running: Publishing."],
      [{ status: "running", phase: "publishing", pullRequest: PR }, "Pull request #12 opened."],
      [{ status: "completed", phase: "done", pullRequest: PR }, "Completed."],
      // The same task data again (a refetch): nothing new to say, the last words stay.
      [{ status: "completed", phase: "done", pullRequest: { ...PR } }, "Completed."],
    ];
    const { rerender } = render(
      <TaskAnnouncer task={{ status: "queued", phase: "queued", pullRequest: null }} />,
    );
    for (const [task, said] of steps) {
      rerender(<TaskAnnouncer task={task} />);
      expect(region().textContent, `${task.status}/${task.phase}`).toBe(said);
    }
  });

  it("says a status change and a pull request arriving together in one message", () => {
    const { rerender } = render(
      <TaskAnnouncer task={{ status: "running", phase: "publishing", pullRequest: null }} />,
    );
    rerender(<TaskAnnouncer task={{ status: "completed", phase: "done", pullRequest: PR }} />);
    expect(region().textContent).toBe("Completed. Pull request #12 opened.");
  });
});
