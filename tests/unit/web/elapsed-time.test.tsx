// @vitest-environment jsdom
import "../../support/web-setup.js";
import { act, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ElapsedTime } from "../../../web/src/pages/task/elapsed-time.js";

describe("ElapsedTime", () => {
  it("ticks every second while the task runs", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2025-05-01T10:01:05Z"));
    render(
      <ElapsedTime
        task={{ status: "running", startedAt: "2025-05-01T10:00:00Z", finishedAt: null }}
      />,
    );
    expect(screen.getByText("1m 05s")).toBeInTheDocument();
    act(() => {
      vi.advanceTimersByTime(2000);
    });
    expect(screen.getByText("1m 07s")).toBeInTheDocument();
  });

  it("shows the total once finished", () => {
    render(
      <ElapsedTime
        task={{
          status: "completed",
          startedAt: "2025-05-01T10:00:00Z",
          finishedAt: "2025-05-01T11:04:00Z",
        }}
      />,
    );
    expect(screen.getByText("1h 04m")).toBeInTheDocument();
    expect(screen.getByText("Took:")).toBeInTheDocument();
  });
});
