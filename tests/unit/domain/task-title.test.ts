import { TITLE_MAX_LENGTH, taskTitle } from "../../../server/domain/tasks/task-title.js";

describe("taskTitle", () => {
  it("uses the ticket's summary, whitespace collapsed", () => {
    expect(
      taskTitle({ ticketSnapshot: { summary: " Totals\tare\n off " }, prompt: "ignored" }),
    ).toBe("Totals are off");
  });

  it("uses the first non-blank line of a prompt without a ticket", () => {
    expect(taskTitle({ ticketSnapshot: null, prompt: "\n   \n  Why is CI slow?  \nMore." })).toBe(
      "Why is CI slow?",
    );
    expect(taskTitle({ ticketSnapshot: null, prompt: null })).toBe("");
  });

  it("cuts a long title with an ellipsis at the limit", () => {
    const title = taskTitle({ ticketSnapshot: null, prompt: "word ".repeat(100) });
    expect(title).toHaveLength(TITLE_MAX_LENGTH);
    expect(title.endsWith("…")).toBe(true);
  });
});
