import type { RequestHandler } from "express";
import { CSRF_HEADER } from "../../../shared/auth.js";
import { AppError } from "../../domain/app-error.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery defence for cookie-authenticated requests that change
 * state. A browser attaches cookies to a forged cross-site form or `fetch`, but it will
 * not send a custom header cross-origin without a CORS preflight this server never
 * grants; Origin and Sec-Fetch-Site catch the rest. Bearer-token calls are exempt (a
 * browser never adds that header by itself), and so are requests without cookies,
 * which authenticate no one, except sign-in itself (login CSRF). Behind an
 * authenticating proxy (`ambientIdentity`) the browser's identity rides on something
 * this server cannot see (the proxy's cookie, a client certificate, Kerberos), so every
 * state-changing request needs the header, cookie or not.
 */
export function csrfProtection(options: { ambientIdentity?: boolean } = {}): RequestHandler {
  const header = CSRF_HEADER.toLowerCase();
  const always = options.ambientIdentity === true;
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || req.headers.authorization !== undefined) {
      next();
      return;
    }
    const signIn = req.path.startsWith("/auth/");
    if (!always && !req.headers.cookie && !signIn) {
      next();
      return;
    }
    const fetchSite = req.headers["sec-fetch-site"];
    if (fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none") {
      throw refused(`the request came from another site (Sec-Fetch-Site: ${fetchSite})`);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== "null" && hostOf(origin) !== req.get("host")) {
      throw refused("the request came from another origin");
    }
    if (origin === "null") throw refused("the request came from an opaque origin");
    if (req.headers[header] === undefined) {
      throw refused(`the ${CSRF_HEADER} header is missing`);
    }
    next();
  };
}

function refused(why: string): AppError {
  return new AppError("forbidden", `Cross-site request refused: ${why}`);
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
