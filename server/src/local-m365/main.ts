// Serves only the local Microsoft 365 tenant, on its own port, so reliability tests can stop and
// start the API server without losing the identity provider and Graph (or the other way round).
//   LOCAL_M365_PORT      port on 127.0.0.1 (default 3979; 0 picks a free one)
//   LOCAL_M365_STATE     SQLite file for calendar events and notifications (default in memory)
//   LOCAL_M365_KEY_FILE  JWK file of the token signing key (default: a new key per start)
//   LOCAL_M365_TLS_DIR   when set, serve HTTPS with the self-signed certificate kept there
//                        (for MSAL clients, which refuse http authorities)
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import express from "express";
import pino from "pino";
import { loadOrCreateSigningKey } from "./keys";
import { createLocalM365 } from "./local-tenant";
import { loadOrCreateLocalTlsCredentials } from "./tls";

async function main(): Promise<void> {
  const logger = pino({ name: "local-m365" });
  if (process.env.NODE_ENV === "production") {
    logger.fatal("the local Microsoft 365 tenant must not run in production");
    process.exit(1);
  }
  const port = Number(process.env.LOCAL_M365_PORT ?? 3979);
  const tlsDir = process.env.LOCAL_M365_TLS_DIR;
  const scheme = tlsDir ? "https" : "http";
  const signingKey = await loadOrCreateSigningKey(process.env.LOCAL_M365_KEY_FILE || undefined);
  const app = express();
  app.disable("x-powered-by");
  const server: Server = tlsDir ? createHttpsServer(await loadOrCreateLocalTlsCredentials(tlsDir), app) : createHttpServer(app);
  const baseUrl = (): string => `${scheme}://127.0.0.1:${(server.address() as AddressInfo | null)?.port ?? port}`;
  const m365 = await createLocalM365({ baseUrl, signingKey, stateFile: process.env.LOCAL_M365_STATE || undefined, logger });
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.use("/local-m365", m365.router);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  logger.info({ url: `${baseUrl()}/local-m365`, certificate: tlsDir ? `${tlsDir}/local-m365-cert.pem` : undefined }, "local Microsoft 365 tenant listening");

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "local Microsoft 365 tenant stopping");
    m365.close();
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  pino({ name: "local-m365" }).fatal({ err }, "local Microsoft 365 tenant failed to start");
  process.exit(1);
});
