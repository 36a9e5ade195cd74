import helmet from "helmet";
import type { RequestHandler } from "express";

/** Hosts allowed to frame Leeway's pages: Teams, Outlook and Microsoft 365 (web and desktop). */
export const FRAME_ANCESTORS = [
  "'self'",
  "https://teams.microsoft.com",
  "https://*.teams.microsoft.com",
  "https://teams.cloud.microsoft",
  "https://*.cloud.microsoft",
  "https://*.office.com",
  "https://outlook.office.com",
  "https://outlook.office365.com",
  "https://*.outlook.com",
  "https://*.office365.com",
  "https://*.microsoft365.com",
  "https://local.teams.office.com",
];

/** API responses: nothing may load or frame them. */
export const apiSecurity: RequestHandler = helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
  frameguard: { action: "deny" },
});

/** Pages the front ends use: framed by Microsoft 365 hosts only; scripts from here (and Office.js from Microsoft's CDN). */
export function pageSecurity(extraConnect: string[] = []): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "https://appsforoffice.microsoft.com", "https://res.cdn.office.net"],
        // Fluent UI (Griffel) inserts style rules at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "https://res.cdn.office.net"],
        fontSrc: ["'self'", "data:", "https://res.cdn.office.net"],
        connectSrc: ["'self'", "https://login.microsoftonline.com", "https://graph.microsoft.com", ...extraConnect],
        frameSrc: ["'self'", "https://login.microsoftonline.com"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: FRAME_ANCESTORS,
      },
    },
    // Framing is governed by CSP frame-ancestors; X-Frame-Options cannot express a host list.
    frameguard: false,
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: "same-origin-allow-popups" },
  });
}
