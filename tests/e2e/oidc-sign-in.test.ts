import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { DEFAULT_WEB_DIR } from "../../server/bootstrap/start-server.js";
import { appHarness } from "../support/app-harness.js";
import { launchBrowser, screenshot } from "../support/e2e-browser.js";
import { startOidcProvider, type TestOidcProvider } from "../support/oidc-provider.js";

/**
 * Single sign-on in a real browser: the dashboard (AUTH_MODE=oidc) sends Chromium to a
 * real OpenID provider running in-process on 127.0.0.1, and back with a session.
 */
let server: Server;
let origin: string;
let idp: TestOidcProvider;
let h: Awaited<ReturnType<typeof appHarness>>;
let browser: Browser;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  idp = await startOidcProvider({
    users: [
      { email: "ada@acme.test", name: "Ada Admin", groups: ["grp-admin"] },
      { email: "nobody@acme.test", name: "No Body", groups: ["grp-other"] },
    ],
    redirectUris: [`${origin}/api/auth/oidc/callback`],
    postLogoutRedirectUris: [`${origin}/`],
  });
  h = await appHarness({
    webDir: DEFAULT_WEB_DIR,
    auth: {
      mode: "oidc",
      devUsers: [],
      sessionSecret: "e2e-oidc-session-secret-0123456789abcdef",
      oidc: {
        issuerUrl: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        redirectUrl: null,
        postLogoutRedirectUrl: null,
        scopes: "openid email profile groups",
        groupsClaim: "groups",
      },
      roles: {
        groups: { pm: [], engineer: [], admin: ["grp-admin"] },
        emails: { pm: [], engineer: [], admin: [] },
      },
    },
  });
  h.tracker.add({ key: "CALC-1", summary: "Totals are wrong" });
  server.on("request", h.app);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => {
    server?.close(() => resolve());
    server?.closeAllConnections();
  });
  await idp?.close();
  await h?.close();
});

describe("single sign-on", () => {
  it("signs in through the identity provider and lands on the tickets as an admin", async () => {
    const page = await browser.newPage();
    await page.goto(origin);
    await page.getByRole("link", { name: /Sign in with your company account/ }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.getByLabel("Email").selectOption("ada@acme.test");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Tickets" }).waitFor();
    await page.getByText("CALC-1").first().waitFor();
    await page.getByText("Ada Admin").first().waitFor();
    await page.getByRole("link", { name: "History" }).waitFor();
    await screenshot(page, "07-oidc-signed-in");
    expect(idp.logins).toEqual(["ada@acme.test"]);
    await page.close();
  });

  it("a person with no role is asked to get access from an admin", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(origin);
    await page.getByRole("link", { name: /Sign in with your company account/ }).click();
    await page.getByLabel("Email").selectOption("nobody@acme.test");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page
      .getByText(/ask an admin/i)
      .first()
      .waitFor();
    await screenshot(page, "08-oidc-no-access");
    await expect(page.getByRole("heading", { name: "Tickets" }).count()).resolves.toBe(0);
    await context.close();
  });
});
