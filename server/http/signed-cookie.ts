import { createHmac, timingSafeEqual } from "node:crypto";
import type { Request, Response } from "express";
import { readCookie } from "./session-cookie.js";

/**
 * Short-lived, HMAC-signed cookies holding small JSON values: the OpenID sign-in
 * transaction (state, nonce, PKCE verifier) and the "signed in without a role" marker.
 * Signed so a browser cannot forge them; they carry no credentials.
 */
export class SignedCookies {
  readonly #key: Buffer;

  constructor(secret: string) {
    // Derive a purpose-specific key so the session secret is never used raw.
    this.#key = createHmac("sha256", secret).update("patchboard signed cookies v1").digest();
  }

  /** Sets `name` to the signed value, expiring after `maxAgeMs`. */
  write(
    req: Request,
    res: Response,
    name: string,
    value: unknown,
    options: { maxAgeMs: number; path?: string },
  ): void {
    const body = Buffer.from(
      JSON.stringify({ v: value, exp: Date.now() + options.maxAgeMs }),
    ).toString("base64url");
    res.cookie(name, `${body}.${this.#sign(name, body)}`, {
      httpOnly: true,
      // Lax: the identity provider's redirect back is a top-level GET, which Lax allows.
      sameSite: "lax",
      secure: req.secure,
      path: options.path ?? "/",
      maxAge: options.maxAgeMs,
    });
  }

  /** The value of a valid, unexpired cookie, or undefined. */
  read(req: Request, name: string): unknown {
    const raw = readCookie(req, name);
    if (raw === undefined) return undefined;
    const dot = raw.lastIndexOf(".");
    if (dot < 0) return undefined;
    const body = raw.slice(0, dot);
    const given = Buffer.from(raw.slice(dot + 1), "base64url");
    const expected = Buffer.from(this.#sign(name, body), "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as {
        v?: unknown;
        exp?: unknown;
      };
      if (typeof parsed.exp !== "number" || parsed.exp < Date.now()) return undefined;
      return parsed.v;
    } catch {
      return undefined;
    }
  }

  /** Removes a cookie. */
  clear(req: Request, res: Response, name: string, path = "/"): void {
    res.clearCookie(name, { httpOnly: true, sameSite: "lax", secure: req.secure, path });
  }

  #sign(name: string, body: string): string {
    return createHmac("sha256", this.#key).update(`${name}=${body}`).digest("base64url");
  }
}
