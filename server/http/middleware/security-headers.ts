import helmet from "helmet";
import type { RequestHandler } from "express";

/**
 * The Content-Security-Policy: everything from this origin only, no inline scripts or
 * styles, no plugins, no framing. The built web app (Vite) loads only `/assets/*.js`
 * and `.css`; its favicon is a `data:` image. Ticket and agent text is rendered as text
 * by React, and this policy is the second line should that ever slip.
 */
export const CONTENT_SECURITY_POLICY = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
} as const;

/** helmet with the strict policy above; also HSTS, nosniff, no referrer across sites. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: CONTENT_SECURITY_POLICY as unknown as Record<string, string[]>,
    },
    referrerPolicy: { policy: "same-origin" },
    // The app embeds nothing cross-origin; these cost nothing and close side channels.
    crossOriginOpenerPolicy: { policy: "same-origin" },
    crossOriginResourcePolicy: { policy: "same-origin" },
  });
}
