import { startFakeJira, type FakeJira } from "../../server/sandbox/fake-jira/index.js";
import { CLOUD_CREDENTIALS, DC_CREDENTIALS, seedIssues } from "../support/jira-fixtures.js";

const basic = `Basic ${Buffer.from(`${CLOUD_CREDENTIALS.email}:${CLOUD_CREDENTIALS.apiToken}`).toString("base64")}`;
const bearer = `Bearer ${DC_CREDENTIALS.pat}`;

async function call(
  fake: FakeJira,
  path: string,
  init: { method?: string; body?: unknown; auth?: string } = {},
): Promise<{ status: number; json: unknown; text: string }> {
  const response = await fetch(`${fake.url}${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(init.auth ? { Authorization: init.auth } : {}),
      ...(init.body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // HTML or empty
  }
  return { status: response.status, json, text };
}

describe("fake Jira (cloud)", () => {
  let fake: FakeJira;
  beforeAll(async () => {
    fake = await startFakeJira({ issues: seedIssues(), credentials: CLOUD_CREDENTIALS });
  });
  afterAll(async () => {
    await fake.close();
  });

  it("answers 401 in Jira's shape without credentials", async () => {
    const result = await call(fake, "/rest/api/2/myself");
    expect(result.status).toBe(401);
    expect(result.json).toMatchObject({ errorMessages: [expect.any(String)] });
  });

  it("has removed v2 search, like Jira Cloud", async () => {
    const result = await call(fake, "/rest/api/2/search", {
      method: "POST",
      body: { jql: "project = CALC" },
      auth: basic,
    });
    expect(result.status).toBe(410);
    expect(JSON.stringify(result.json)).toContain("/rest/api/3/search/jql");
  });

  it("returns bare ids from search/jql unless fields are asked for", async () => {
    const result = await call(fake, "/rest/api/3/search/jql", {
      method: "POST",
      body: { jql: "project = WEB" },
      auth: basic,
    });
    expect(result.json).toEqual({
      issues: [
        { id: expect.any(String) as unknown, key: "WEB-1", self: expect.any(String) as unknown },
      ],
      isLast: true,
    });
  });

  it("refuses unbounded queries, unknown JQL and foreign page tokens with 400", async () => {
    const search = (body: unknown): ReturnType<typeof call> =>
      call(fake, "/rest/api/3/search/jql", { method: "POST", body, auth: basic });
    expect((await search({ jql: "ORDER BY key" })).status).toBe(400);
    const fn = await search({ jql: "assignee = currentUser()" });
    expect(fn.json).toMatchObject({ errorMessages: [expect.stringContaining("currentUser()")] });
    const unknown = await search({ jql: "assignee = bob" });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ errorMessages: [expect.stringContaining("assignee")] });
    const first = await search({ jql: "project = CALC", maxResults: 1 });
    const token = (first.json as { nextPageToken: string }).nextPageToken;
    expect(typeof token).toBe("string");
    expect(
      (await search({ jql: "project = CALC", maxResults: 1, nextPageToken: token })).status,
    ).toBe(200);
    expect(
      (await search({ jql: "project = WEB", maxResults: 1, nextPageToken: token })).status,
    ).toBe(400);
  });

  it("evaluates the JQL subset", async () => {
    const keys = async (jql: string): Promise<string[]> => {
      const result = await call(fake, "/rest/api/3/search/jql", {
        method: "POST",
        body: { jql },
        auth: basic,
      });
      return (result.json as { issues: { key: string }[] }).issues.map((issue) => issue.key);
    };
    expect(await keys('project in (CALC, "WEB") AND type = Task')).toEqual(["CALC-7"]);
    expect(await keys("project = CALC AND status in ('Done') ORDER BY key DESC")).toEqual([
      "CALC-6",
    ]);
    expect(await keys("(project = WEB OR labels = rounding) AND statusCategory != Done")).toEqual([
      "CALC-3",
      "WEB-1",
    ]);
    expect(await keys('text ~ "misaligned" ORDER BY updated DESC')).toEqual(["WEB-1"]);
  });

  it("serves the issue page HTML-escaped and lists added issues", async () => {
    fake.addIssue({
      key: "CALC-50",
      summary: '<script>alert("x")</script>',
      description: "<img src=x onerror=alert(1)>",
      comments: [{ author: "Eve <eve@example.com>", body: "</pre><b>bold</b>" }],
    });
    const page = await call(fake, "/browse/CALC-50");
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/<script>|<img|<b>bold/);
    expect(page.text).toContain("&#60;script&#62;");
    expect(page.text).toContain("Eve &#60;eve@example.com&#62;");
    expect((await call(fake, "/")).text).toContain("/browse/CALC-50");
    expect((await call(fake, "/browse/CALC-999")).status).toBe(404);
  });

  it("rejects a transition the issue does not offer", async () => {
    const result = await call(fake, "/rest/api/2/issue/CALC-3/transitions", {
      method: "POST",
      body: { transition: { id: "999" } },
      auth: basic,
    });
    expect(result.status).toBe(400);
    expect(fake.issue("CALC-3")?.status).toBe("To Do");
  });
});

describe("fake Jira (data center)", () => {
  let fake: FakeJira;
  beforeAll(async () => {
    fake = await startFakeJira({
      issues: seedIssues(),
      flavor: "datacenter",
      credentials: DC_CREDENTIALS,
    });
  });
  afterAll(async () => {
    await fake.close();
  });

  it("has no REST v3", async () => {
    const result = await call(fake, "/rest/api/3/search/jql", {
      method: "POST",
      body: { jql: "project = CALC" },
      auth: bearer,
    });
    expect(result.status).toBe(404);
    expect((await call(fake, "/rest/api/3/issue/CALC-1", { auth: bearer })).status).toBe(404);
  });

  it("pages v2 search by startAt with a total, over GET and POST", async () => {
    const get = await call(
      fake,
      "/rest/api/2/search?jql=project%20%3D%20CALC&startAt=2&maxResults=2&fields=summary",
      {
        auth: bearer,
      },
    );
    expect(get.json).toMatchObject({ startAt: 2, maxResults: 2, total: 7 });
    const post = await call(fake, "/rest/api/2/search", {
      method: "POST",
      body: { jql: "project = CALC ORDER BY key ASC", startAt: 6, maxResults: 2 },
      auth: bearer,
    });
    expect((post.json as { issues: { key: string }[] }).issues.map((i) => i.key)).toEqual([
      "CALC-7",
    ]);
  });

  it("refuses basic credentials when a PAT is expected", async () => {
    expect((await call(fake, "/rest/api/2/myself", { auth: basic })).status).toBe(401);
    expect((await call(fake, "/rest/api/2/myself", { auth: bearer })).status).toBe(200);
  });
});
