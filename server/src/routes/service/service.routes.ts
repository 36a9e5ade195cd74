import { Router } from "express";
import type { AppContext } from "../../context";
import type { ApiBuilder } from "../../http/api-builder";
import { apiSecurity, pageSecurity } from "../../http/security";
import { startPage } from "./start-page";

/**
 * Health, readiness, the OpenAPI document and the audit checkpoint public key: no token needed.
 * Each route carries its own security headers, so requests for other paths pass through untouched.
 */
export function serviceRoutes(ctx: AppContext, api: ApiBuilder): Router {
  const r = Router();
  r.use(["/healthz", "/readyz", "/api/openapi.json", "/.well-known/leeway"], apiSecurity);
  r.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  r.get("/readyz", async (req, res) => {
    try {
      await ctx.dataSource.query("SELECT 1");
      res.json({ status: "ready" });
    } catch (err) {
      req.log.warn({ err }, "database is not answering");
      res.status(503).type("application/problem+json").json({ type: "https://leeway.example/problems/unavailable", title: "Not ready", status: 503, detail: "The database is not answering." });
    }
  });
  let openapi: object | null = null;
  r.get("/api/openapi.json", (_req, res) => {
    openapi ??= api.openApiDocument(ctx.config.publicUrl);
    res.json(openapi);
  });
  // Published so that anyone holding an export can check its signed checkpoints offline.
  r.get("/.well-known/leeway/audit-signing-key", (_req, res) => {
    res.json({ algorithm: "Ed25519", keyId: ctx.signer.keyId, publicKeyPem: ctx.signer.publicKeyPem, previousKeys: ctx.signer.previousKeys });
  });
  r.get("/.well-known/leeway/audit-signing-key.pem", (_req, res) => {
    res.type("application/x-pem-file").send(ctx.signer.publicKeyPem);
  });
  if (ctx.config.m365.mode === "local") {
    r.get("/", pageSecurity(), (_req, res) => {
      res.type("html").send(startPage(ctx.config));
    });
  }
  return r;
}
