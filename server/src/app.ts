import "reflect-metadata";
import path from "node:path";
import express, { type Express } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "pino";
import { loadOrCreateSigner } from "./audit/signing";
import type { Config } from "./config";
import type { AppContext } from "./context";
import { NotFoundError } from "./errors";
import { MicrosoftGraph } from "./graph/graph-client";
import { loadClientCertificate, LocalGraphTokenProvider, MsalGraphTokenProvider } from "./graph/token-provider";
import { ApiBuilder } from "./http/api-builder";
import { authenticate, callerFields, recordPerson } from "./http/authenticate";
import { refuseNul, wellFormedText } from "./http/well-formed";
import { problemHandler } from "./http/problem";
import { perAddress, perTenant, perUser } from "./http/rate-limit";
import { requestIdFor } from "./http/request-id";
import { apiSecurity, pageSecurity } from "./http/security";
import { PeopleService } from "./identity/people.service";
import { TokenValidator } from "./identity/token-validator";
import { loadOrCreateSigningKey } from "./local-m365/keys";
import { createLocalM365, type LocalM365 } from "./local-m365/local-tenant";
import { createLogger } from "./logger";
import { NotificationDelivery } from "./outbox/notification-delivery";
import { SeriesDelivery } from "./outbox/series-delivery";
import { OutboxWorker } from "./outbox/worker";
import { registerRoutes } from "./routes";
import { serviceRoutes } from "./routes/service/service.routes";
import { startHousekeeping } from "./services/deadline-sweeper";
import { seedDemoOrganisation } from "./services/demo-seed";
import { matchWithin } from "./services/timed-match";
import { useTextMatcher } from "./domain/text-matching";
import { BoundaryEnforcement } from "./services/boundary-enforcement";
import { ReminderService } from "./services/reminder.service";
import { AuditChain } from "./store/audit-chain";
import { createDataSource, runMigrations } from "./store/data-source";
import { UnitOfWork } from "./store/unit-of-work";

const REPO_ROOT = path.resolve(__dirname, "../..");

/** HTML entry points must never be cached, so a new build's hashed assets are picked up at once. */
function noCacheHtml(res: { setHeader(name: string, value: string): void }, file: string): void {
  if (file.endsWith(".html")) res.setHeader("Cache-Control", "no-cache");
}

export interface LeewayApp {
  app: Express;
  context: AppContext;
  /** Closes the database and the local tenant; the HTTP listener is the caller's. */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  logger?: Logger;
}

/** Builds the whole server from a configuration: store (migrated), identity, Graph, routes. */
export async function createApp(config: Config, options: CreateAppOptions = {}): Promise<LeewayApp> {
  const log = options.logger ?? createLogger(config.logLevel);
  // Admins' patterns run over everyone's text under a time limit, from the first write on.
  useTextMatcher(matchWithin);
  const signer = loadOrCreateSigner({ pem: config.audit.signingKeyPem, file: config.audit.signingKeyFile, allowCreate: config.env !== "production", previousPublicKeys: config.audit.previousPublicKeys });

  await runMigrations(config);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  const chain = new AuditChain(signer, config.audit.checkpointEvery);
  const uow = new UnitOfWork(dataSource, chain);

  let localM365: LocalM365 | null = null;
  if (config.m365.mode === "local" && !config.m365.localUrl) {
    localM365 = await createLocalM365({
      baseUrl: () => config.publicUrl,
      signingKey: await loadOrCreateSigningKey(path.join(config.dataDir, "local-m365-key.json")),
      apiAudience: config.m365.apiAudience,
      apiClientId: config.m365.clientId,
      stateFile: config.database.sqlitePath === ":memory:" ? ":memory:" : path.join(config.dataDir, "local-m365.db"),
      logger: log.child({ component: "local-m365" }),
    });
  }
  const tokens =
    config.m365.mode === "local"
      ? new LocalGraphTokenProvider({ authority: config.m365.authority, clientId: config.m365.clientId })
      : new MsalGraphTokenProvider(
          {
            authority: config.m365.authority,
            clientId: config.m365.clientId,
            ...(config.m365.clientSecret ? { clientSecret: config.m365.clientSecret } : {}),
            ...(config.m365.clientCertificate ? { clientCertificate: loadClientCertificate(config.m365.clientCertificate) } : {}),
          },
          log.child({ component: "msal" }),
        );
  const graph = new MicrosoftGraph({ baseUrl: config.m365.graphUrl, tokens, timeoutMs: config.m365.graphTimeoutMs });
  const validator = new TokenValidator({ authority: config.m365.authority, audience: config.m365.apiAudience, allowedTenants: config.m365.allowedTenants });
  const people = new PeopleService(dataSource, uow, graph, config.people.refreshMinutes, log.child({ component: "people" }));
  const boundaries = new BoundaryEnforcement(uow);
  const timeoutMs = config.m365.graphTimeoutMs;
  const outbox = new OutboxWorker(uow, config.outbox, log.child({ component: "outbox" }))
    .register(["series.create", "series.update", "series.cancel", "series.retry"], new SeriesDelivery({ dataSource, graph, publicUrl: config.publicUrl, timeoutMs, log }))
    .register(["notification.send"], new NotificationDelivery({ graph, timeoutMs }));
  const context: AppContext = { config, log, dataSource, uow, chain, signer, graph, people, validator, localM365, boundaries, outbox };

  if (config.seedDemo) await seedDemoOrganisation(uow, log, { history: config.demoHistory });

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.http.trustProxy);
  app.set("etag", false);
  const successLevel = log.isLevelEnabled("debug") ? "debug" : "silent";
  app.use(
    pinoHttp({
      logger: log,
      genReqId: requestIdFor,
      // Successful requests are logged at debug; when debug is off they are not even assembled.
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "info" : successLevel),
      customSuccessObject: (req, _res, line: object) => ({ ...line, ...callerFields(req as express.Request) }),
      customErrorObject: (req, _res, _err, line: object) => ({ ...line, ...callerFields(req as express.Request) }),
      serializers: { req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, url: req.url.split("?")[0] }) },
    }),
  );

  const api = new ApiBuilder();
  registerRoutes(api, context);

  app.use(serviceRoutes(context, api));
  // The Teams tab and the Outlook task pane, built by Vite into their dist folders.
  for (const [mount, dir] of [["/tabs", "tabs/dist"], ["/addin", "addin/dist"]] as const) {
    app.use(mount, pageSecurity(), express.static(path.join(REPO_ROOT, dir), { index: "index.html", fallthrough: true, maxAge: "1h", setHeaders: noCacheHtml }));
  }
  // Icons the Outlook add-in's ribbon and the XML manifest point to (https://<host>/icons/…).
  app.use("/icons", pageSecurity(), express.static(path.join(REPO_ROOT, "manifests/icons"), { index: false, maxAge: "1d" }));
  if (localM365) app.use("/local-m365", pageSecurity(), localM365.router);
  app.use(
    "/api",
    apiSecurity,
    perAddress(config.http.rateLimitPerMinute),
    authenticate(validator),
    perUser(config.http.rateLimitPerMinute),
    perTenant(config.http.rateLimitPerMinute),
    express.json({ limit: config.http.bodyLimit, strict: true, reviver: wellFormedText }),
    refuseNul,
    recordPerson(people),
  );
  app.use(api.router);
  app.use("/api", () => {
    throw new NotFoundError("API route");
  });
  app.use(problemHandler(config.http.bodyLimit));

  const stopSweeper = config.housekeeping ? startHousekeeping(uow, log.child({ component: "housekeeping" }), { outboxKeepDays: config.outbox.keepDays }) : () => undefined;
  if (config.outbox.worker) outbox.start();
  const stopReminders = config.reminders.intervalSeconds > 0 ? new ReminderService({ ...context, log: log.child({ component: "reminders" }) }).start(config.reminders.intervalSeconds) : () => undefined;

  return {
    app,
    context,
    async close() {
      stopSweeper();
      stopReminders();
      await outbox.stop();
      localM365?.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
