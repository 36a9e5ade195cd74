import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { DataSource } from "typeorm";
import { createApp, type LeewayApp } from "../../server/src/app";
import { loadConfig, type Config } from "../../server/src/config";
import { answerClientErrors } from "../../server/src/http/client-errors";
import { createDatabase, dropDatabase } from "./pg-cluster.cjs";

export type Engine = "sqlite" | "postgres";

export function testEngine(): Engine {
  return process.env.LEEWAY_TEST_ENGINE === "postgres" ? "postgres" : "sqlite";
}

export interface TestDb {
  engine: Engine;
  env: Record<string, string>;
  /** Connection as the table owner (PostgreSQL) or to the same file (SQLite), for tests that bypass the server. */
  ownerUrl: string;
  superUrl?: string;
  dispose(): Promise<void>;
}

/** A fresh, empty database on the engine this jest project tests. */
export async function freshDatabase(dir: string): Promise<TestDb> {
  if (testEngine() === "sqlite") {
    const file = path.join(dir, "leeway.db");
    return { engine: "sqlite", env: { DATABASE_URL: file }, ownerUrl: file, dispose: async () => undefined };
  }
  const superuserUrl = process.env.LEEWAY_TEST_PG_URL;
  if (!superuserUrl) throw new Error("LEEWAY_TEST_PG_URL is not set: run the postgres project through npm test");
  const db = await createDatabase(superuserUrl);
  return {
    engine: "postgres",
    env: { DATABASE_URL: db.appUrl, DATABASE_MIGRATION_URL: db.ownerUrl },
    ownerUrl: db.ownerUrl,
    superUrl: db.superUrl,
    dispose: () => dropDatabase(superuserUrl, db.name),
  };
}

export interface TestServer {
  baseUrl: string;
  leeway: LeewayApp;
  config: Config;
  db: TestDb;
  dir: string;
  /** An access token for a demo person, from the local tenant's token endpoint. */
  token(upn: string, scope?: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts Leeway as the README does (local tenant, migrations, demo seed) on a free loopback port. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "leeway-test-"));
  const db = await freshDatabase(dir);
  const server = http.createServer();
  answerClientErrors(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: String(port),
    LEEWAY_DATA_DIR: dir,
    LOG_LEVEL: "silent",
    ...db.env,
    ...env,
  });
  let leeway: LeewayApp;
  try {
    leeway = await createApp(config, { logger: pino({ level: process.env.LEEWAY_TEST_LOG ?? "silent" }) });
  } catch (err) {
    server.close();
    await db.dispose();
    throw err;
  }
  server.on("request", leeway.app);
  const baseUrl = `http://127.0.0.1:${port}`;
  const tenantOf = (upn: string) => (upn.endsWith("@fabrikam.test") ? "fabf0000-0000-4000-8000-000000000002" : "c0c0c0c0-0000-4000-8000-000000000001");
  return {
    baseUrl,
    leeway,
    config,
    db,
    dir,
    async token(upn, scope = "api://leeway/access_as_user") {
      const res = await fetch(`${baseUrl}/local-m365/${tenantOf(upn)}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", username: upn, password: "local", client_id: config.m365.clientId, scope }),
      });
      const body = (await res.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`no token for ${upn}: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await leeway.close();
      await db.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A direct connection that bypasses the server (as the table owner on PostgreSQL). */
export async function ownerConnection(db: TestDb): Promise<DataSource> {
  const ds =
    db.engine === "postgres"
      ? new DataSource({ type: "postgres", url: db.ownerUrl })
      : new DataSource({ type: "better-sqlite3", database: db.ownerUrl });
  await ds.initialize();
  return ds;
}

/** Time passes: moves an outcome's deadline into the past behind the API's back, as the calendar would. */
export async function passDeadline(db: TestDb, outcomeId: string): Promise<void> {
  const owner = await ownerConnection(db);
  try {
    const pg = db.engine === "postgres";
    await owner.query(`UPDATE outcome SET deadline = ${pg ? "$1" : "?"} WHERE id = ${pg ? "$2" : "?"}`, ["2020-01-01", outcomeId]);
  } finally {
    await owner.destroy();
  }
}

export const CONTOSO = "c0c0c0c0-0000-4000-8000-000000000001";
export const FABRIKAM = "fabf0000-0000-4000-8000-000000000002";
