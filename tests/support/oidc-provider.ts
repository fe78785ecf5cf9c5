import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

/** A person the test identity provider knows. */
export interface OidcTestUser {
  email: string;
  name?: string;
  /** Sent in the `groups` claim (with the `groups` scope). */
  groups?: string[];
  /** Defaults to true. */
  /** Default true; null leaves the `email_verified` claim out (as some providers do). */
  emailVerified?: boolean | null;
}

/** Options of {@link startOidcProvider}. */
export interface OidcProviderOptions {
  users: OidcTestUser[];
  /** The relying party's callback URL(s). */
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  clientId?: string;
  clientSecret?: string;
}

/** A running in-process OpenID provider on 127.0.0.1. */
export interface TestOidcProvider {
  /** The issuer URL, e.g. `http://127.0.0.1:41234`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's users by email; tests may add or change them between sign-ins. */
  users: Map<string, OidcTestUser>;
  /** Emails that signed in through the login form, in order. */
  logins: string[];
  /** Errors the provider reported (a test can assert none happened). */
  errors: unknown[];
  close(): Promise<void>;
}

/**
 * Starts a real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1 with
 * one confidential client, PKCE required, RP-initiated logout on, and a minimal login
 * page at `/interaction/:uid`: a form whose `email` field picks the user (GET shows it,
 * POST `/interaction/:uid/login` signs in). Consent is granted automatically, as for a
 * first-party app. Reusable by route tests (see oidc-browser.ts) and the browser e2e test.
 */
export async function startOidcProvider(options: OidcProviderOptions): Promise<TestOidcProvider> {
  const users = new Map(options.users.map((u) => [u.email.toLowerCase(), u]));
  const clientId = options.clientId ?? "patchboard-test";
  const clientSecret = options.clientSecret ?? "patchboard-test-client-secret-0123456789";
  const logins: string[] = [];
  const errors: unknown[] = [];
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name"],
      groups: ["groups"],
    },
    scopes: ["openid", "email", "profile", "groups"],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ["oidc-test-cookie-key-0123456789abcdef"] },
    findAccount: (_ctx, sub) => {
      const user = users.get(sub.toLowerCase());
      if (user === undefined) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          email: user.email,
          ...(user.emailVerified === null ? {} : { email_verified: user.emailVerified ?? true }),
          name: user.name ?? user.email,
          groups: user.groups ?? [],
        }),
      };
    },
    // A first-party app: grant what it asks for instead of showing a consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) {
        const found = await ctx.oidc.provider.Grant.find(existing);
        if (found) return found;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope("openid email profile groups");
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
  });
  provider.on("server_error", (_ctx, error) => errors.push(error));
  const callback = provider.callback();

  handler = (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    if (match === null) {
      void callback(req, res);
      return;
    }
    interaction(req, res, match[2] !== undefined).catch((error: unknown) => {
      errors.push(error);
      res.statusCode = 500;
      res.end(String(error));
    });
  };

  async function interaction(req: IncomingMessage, res: ServerResponse, submit: boolean) {
    const details = await provider.interactionDetails(req, res);
    if (!submit) {
      const options = [...users.values()]
        .map((u) => `<option value="${escapeHtml(u.email)}">${escapeHtml(u.email)}</option>`)
        .join("");
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.end(
        `<!doctype html><title>Test IdP</title><h1>Sign in to the test identity provider</h1>` +
          `<form method="post" action="/interaction/${details.uid}/login">` +
          `<label>Email <select name="email">${options}</select></label>` +
          `<button type="submit">Sign in</button></form>`,
      );
      return;
    }
    const form = new URLSearchParams(await readBody(req));
    const email = form.get("email")?.toLowerCase() ?? "";
    if (!users.has(email)) {
      await provider.interactionFinished(req, res, {
        error: "access_denied",
        error_description: "unknown user",
      });
      return;
    }
    logins.push(email);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: email } },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    issuer,
    clientId,
    clientSecret,
    users,
    logins,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
