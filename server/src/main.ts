import "reflect-metadata";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { createApp } from "./app";
import { ConfigError, loadConfig, type Config } from "./config";
import { loadOrCreateLocalTlsCredentials } from "./local-m365/tls";
import { answerClientErrors } from "./http/client-errors";
import { createLogger } from "./logger";

/** Start: config -> store -> app -> listen; on SIGTERM stop taking requests, finish in-flight ones, close the database. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const server = http.createServer();
  answerClientErrors(server);
  // Listen first when the port is 0, so the public URL (and the local tenant's issuer) is known.
  if (config.port === 0) {
    await new Promise<void>((resolve) => server.listen(0, config.host, resolve));
    const { port } = server.address() as AddressInfo;
    if (!process.env.PUBLIC_URL) config = { ...config, publicUrl: `http://127.0.0.1:${port}`, m365: rebase(config, port) };
  }
  const leeway = await createApp(config, { logger: log });
  server.on("request", leeway.app);
  if (!server.listening) await new Promise<void>((resolve, reject) => server.once("error", reject).listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  // MSAL clients refuse http authorities: the local tenant (and the API) can also answer over
  // HTTPS with a self-signed certificate kept in the data directory.
  let secure: https.Server | null = null;
  if (config.m365.mode === "local" && config.localHttpsPort !== undefined) {
    const tls = await loadOrCreateLocalTlsCredentials(config.dataDir);
    secure = https.createServer({ key: tls.key, cert: tls.cert }, leeway.app);
    answerClientErrors(secure);
    await new Promise<void>((resolve, reject) => secure!.once("error", reject).listen(config.localHttpsPort, config.host, resolve));
    log.info({ port: (secure.address() as AddressInfo).port, certificate: tls.certFile }, "HTTPS listener for MSAL clients of the local tenant");
  }
  log.info({ url: config.publicUrl, port, engine: config.database.engine, m365: config.m365.mode }, "Leeway is listening");
  process.stdout.write(`Leeway is running at ${config.publicUrl}/\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping: no new requests, finishing those in flight");
    const force = setTimeout(() => {
      log.warn("in-flight requests did not finish in time; closing their connections");
      server.closeAllConnections();
    }, 10_000);
    force.unref();
    secure?.close();
    secure?.closeIdleConnections();
    server.close(() => {
      void leeway.close().then(
        () => {
          log.info("stopped");
          process.exit(0);
        },
        (err: unknown) => {
          log.error({ err }, "error while closing");
          process.exit(1);
        },
      );
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

function rebase(config: Config, port: number): Config["m365"] {
  const base = `http://127.0.0.1:${port}`;
  if (config.m365.mode !== "local" || config.m365.localUrl) return config.m365;
  return { ...config.m365, authority: `${base}/local-m365`, graphUrl: `${base}/local-m365/graph` };
}

main().catch((err: unknown) => {
  process.stderr.write(`Leeway could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
