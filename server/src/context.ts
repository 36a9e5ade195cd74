import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { CheckpointSigner } from "./audit/signing";
import type { Config } from "./config";
import type { GraphApi } from "./graph/graph-api";
import type { PeopleService } from "./identity/people.service";
import type { TokenValidator } from "./identity/token-validator";
import type { LocalM365 } from "./local-m365/local-tenant";
import type { OutboxWorker } from "./outbox/worker";
import type { BoundaryEnforcement } from "./services/boundary-enforcement";
import type { AuditChain } from "./store/audit-chain";
import type { UnitOfWork } from "./store/unit-of-work";

/** The long-lived parts of a running server, built once by createApp and handed to the routers. */
export interface AppContext {
  config: Config;
  log: Logger;
  dataSource: DataSource;
  uow: UnitOfWork;
  chain: AuditChain;
  signer: CheckpointSigner;
  graph: GraphApi;
  people: PeopleService;
  validator: TokenValidator;
  localM365: LocalM365 | null;
  /** Applies compliance boundaries to writes; boundary changes must call invalidate(). */
  boundaries: BoundaryEnforcement;
  /** Delivers calendar changes and notifications to Graph; services wake it after a commit. */
  outbox: OutboxWorker | null;
}
