// Types for pg-cluster.cjs, so TypeScript tests can import it.

export interface Cluster {
  port: number;
  host: string;
  /** OS user that ran initdb; also the cluster's superuser role. */
  superuser: string;
  superuserUrl: string;
  dataDir: string;
  /** Temporary directory holding the data directory, the server log and the unix socket. */
  dir: string;
  /** Fast shutdown, then removes `dir`. Synchronous and idempotent. */
  stop(): void;
}

export interface TestDatabase {
  name: string;
  /** leeway_owner: owns the database; for migrations. */
  ownerUrl: string;
  /** leeway_app: neither owner nor superuser; what the server connects as. */
  appUrl: string;
  /** The cluster superuser, connected to this database. */
  superUrl: string;
}

export declare const OWNER_ROLE: "leeway_owner";
export declare const APP_ROLE: "leeway_app";
export declare function findPgBin(): string | null;
export declare function startCluster(options?: { baseDir?: string; durable?: boolean }): Promise<Cluster>;
/** Stops and deletes clusters whose creating process is gone; returns the directories removed. */
export declare function sweepStaleClusters(baseDir?: string): string[];
export declare function createDatabase(superuserUrl: string, name?: string): Promise<TestDatabase>;
export declare function dropDatabase(superuserUrl: string, name: string): Promise<void>;
