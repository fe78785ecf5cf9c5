import { ErrorBodySchema } from "../../shared/errors.js";
import { startFakeJira, type FakeJira } from "../../server/sandbox/fake-jira/index.js";
import { appHarness } from "../support/app-harness.js";
import { credentialsFor, seedIssues, trackerFor } from "../support/jira-fixtures.js";

// Only tickets inside JIRA_JQL (bugs not done, here) exist for Patchboard, over HTTP from
// the API to the real Jira adapter to the fake Jira: the service account can read CALC-6
// (done) and CALC-7 (a task), yet Patchboard neither shows nor fixes them.
describe("Jira scope", () => {
  let fake: FakeJira;
  let h: Awaited<ReturnType<typeof appHarness>>;

  beforeEach(async () => {
    fake = await startFakeJira({
      issues: seedIssues(),
      flavor: "cloud",
      credentials: credentialsFor("cloud"),
    });
    h = await appHarness({ tracker: trackerFor(fake).tracker });
  });
  afterEach(async () => {
    await h.close();
    await fake.close();
  });

  it("reads and fixes a ticket in scope", async () => {
    const res = await h.as("pm").get("/api/tickets/CALC-3").expect(200);
    expect((res.body as { ticket: { key: string } }).ticket.key).toBe("CALC-3");
    await h.as("pm").post("/api/tasks").send({ ticketKey: "CALC-3" }).expect(202);
    await h.runner.idle();
  });

  it.each(["CALC-6", "CALC-7"])(
    "answers 404 for %s, which the account can read but the JQL leaves out",
    async (key) => {
      const read = await h.as("engineer").get(`/api/tickets/${key}`).expect(404);
      expect(ErrorBodySchema.parse(read.body).error.code).toBe("not_found");
      const fix = await h.as("engineer").post("/api/tasks").send({ ticketKey: key }).expect(404);
      expect(ErrorBodySchema.parse(fix.body).error.code).toBe("not_found");
      expect((await h.store.list({ limit: 10 })).tasks).toEqual([]);
    },
  );
});
