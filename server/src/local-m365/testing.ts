// A ready-made express app that serves only the local tenant, for tests (this folder's and the
// server's) that need an identity provider and Graph without the rest of Leeway.
import express from "express";
import { loadOrCreateSigningKey, type LocalSigningKey } from "./keys";
import { createLocalM365, type LocalM365, type LocalM365Options } from "./local-tenant";

export interface LocalM365App {
  app: express.Express;
  m365: LocalM365;
  signingKey: LocalSigningKey;
}

let sharedKey: Promise<LocalSigningKey> | undefined;

/**
 * Builds `express()` with the local tenant mounted at /local-m365. Without a signing key it reuses
 * one in-memory key per process (RSA generation is the slow part of a test's setup).
 */
export async function createLocalM365App(options: Partial<LocalM365Options> = {}): Promise<LocalM365App> {
  sharedKey ??= loadOrCreateSigningKey();
  const signingKey = options.signingKey ?? (await sharedKey);
  const m365 = await createLocalM365({ baseUrl: () => "http://127.0.0.1:3979", ...options, signingKey });
  const app = express();
  app.disable("x-powered-by");
  app.use("/local-m365", m365.router);
  return { app, m365, signingKey };
}
