import * as client from "openid-client";
import type { Logger } from "pino";
import type { OidcSettings } from "../../config/app-config.js";
import { AppError } from "../../domain/app-error.js";

/** What the browser keeps (signed) between leaving for the identity provider and coming back. */
export interface OidcTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  /** Where to send the person after signing in: an app path. */
  returnTo: string;
}

/** Who the identity provider says signed in. */
export interface OidcIdentity {
  email: string;
  name: string;
  groups: string[];
}

/**
 * The OpenID Connect relying party: authorization code flow with PKCE (S256), state and
 * nonce, on openid-client. The provider's metadata is discovered on first use and cached;
 * a failed discovery is retried on the next sign-in rather than failing start-up, so an
 * identity provider outage does not take the dashboard's API tokens down with it.
 */
export class OidcClient {
  readonly #settings: OidcSettings;
  readonly #logger: Logger;
  #config: Promise<client.Configuration> | null = null;

  readonly #requireVerifiedEmail: boolean;

  /**
   * @param options.requireVerifiedEmail Refuse an address the provider does not say it
   *   verified (`email_verified: true`): set when roles are given by email list, where an
   *   unverified address could be anyone's.
   */
  constructor(
    settings: OidcSettings,
    logger: Logger,
    options: { requireVerifiedEmail?: boolean } = {},
  ) {
    this.#settings = settings;
    this.#logger = logger;
    this.#requireVerifiedEmail = options.requireVerifiedEmail === true;
  }

  /** Starts a sign-in: the provider's authorization URL and the transaction to keep. */
  async start(
    redirectUri: string,
    returnTo: string,
  ): Promise<{ url: string; transaction: OidcTransaction }> {
    const config = await this.#configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const transaction: OidcTransaction = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier,
      redirectUri,
      returnTo,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.#settings.scopes,
      response_type: "code",
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state: transaction.state,
      nonce: transaction.nonce,
    });
    return { url: url.href, transaction };
  }

  /**
   * Finishes a sign-in: checks state, exchanges the code with the PKCE verifier, checks
   * the ID token (signature, issuer, audience, nonce, expiry) and reads email, name and
   * groups, from the userinfo endpoint when the ID token lacks them.
   *
   * @throws AppError `unauthorized` when the provider refused or anything does not check out.
   */
  async finish(callbackQuery: string, transaction: OidcTransaction): Promise<OidcIdentity> {
    const config = await this.#configuration();
    const currentUrl = new URL(transaction.redirectUri);
    currentUrl.search = callbackQuery;
    try {
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
      let claims: Record<string, unknown> = { ...(tokens.claims() ?? {}) };
      const needsUserInfo =
        typeof claims.email !== "string" ||
        readPath(claims, this.#settings.groupsClaim) === undefined;
      if (
        needsUserInfo &&
        typeof claims.sub === "string" &&
        config.serverMetadata().userinfo_endpoint
      ) {
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        claims = { ...claims, ...info };
      }
      return this.#identity(claims);
    } catch (error) {
      if (error instanceof AppError) throw error;
      this.#logger.warn({ err: error }, "oidc sign-in refused");
      throw new AppError("unauthorized", "Sign-in with the identity provider failed; try again", {
        cause: error,
      });
    }
  }

  /** The provider's end-session URL (RP-initiated logout), or null when it has none. */
  async logoutUrl(postLogoutRedirectUri: string): Promise<string | null> {
    let config: client.Configuration;
    try {
      config = await this.#configuration();
    } catch {
      return null; // signing out locally still works
    }
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, {
      client_id: this.#settings.clientId,
      post_logout_redirect_uri: postLogoutRedirectUri,
    }).href;
  }

  #identity(claims: Record<string, unknown>): OidcIdentity {
    const email = typeof claims.email === "string" ? claims.email.trim() : "";
    if (!email.includes("@")) {
      throw new AppError(
        "unauthorized",
        "The identity provider did not give an email address; add the email scope (OIDC_SCOPES)",
      );
    }
    // An unverified address could be anyone's: roles by email list must not trust it.
    const verified = claims.email_verified === true || claims.email_verified === "true";
    if (claims.email_verified === false || (this.#requireVerifiedEmail && !verified)) {
      throw new AppError("unauthorized", `The identity provider has not verified ${email}`);
    }
    const name = typeof claims.name === "string" && claims.name.trim() ? claims.name.trim() : email;
    const raw = readPath(claims, this.#settings.groupsClaim);
    const groups = Array.isArray(raw)
      ? raw.filter((g): g is string => typeof g === "string")
      : typeof raw === "string"
        ? raw.split(/[,\s]+/).filter(Boolean)
        : [];
    return { email, name, groups };
  }

  #configuration(): Promise<client.Configuration> {
    this.#config ??= this.#discover().catch((error: unknown) => {
      this.#config = null;
      this.#logger.error({ err: error }, "oidc discovery failed");
      throw new AppError("internal", "The identity provider could not be reached; try again", {
        status: 502,
        cause: error,
      });
    });
    return this.#config;
  }

  async #discover(): Promise<client.Configuration> {
    const { issuerUrl, clientId, clientSecret } = this.#settings;
    const issuer = new URL(issuerUrl);
    // Plain http only to a provider on this machine (tests, a local Keycloak).
    const local = ["127.0.0.1", "localhost", "[::1]"].includes(issuer.hostname);
    const auth = clientSecret === null ? client.None() : client.ClientSecretBasic(clientSecret);
    return client.discovery(
      issuer,
      clientId,
      clientSecret ?? undefined,
      auth,
      local && issuer.protocol === "http:" ? { execute: [client.allowInsecureRequests] } : {},
    );
  }
}

/** Reads a claim by a dotted path (`realm_access.roles` for Keycloak). */
function readPath(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let value: unknown = claims;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
