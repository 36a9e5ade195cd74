// The local Microsoft 365 tenant's public surface.
export { DEMO, demoTenants, directReportsOf, findPerson, findPersonByUpn, findTenant, teamsOf } from "./demo-directory";
export type { DemoPerson, DemoTeam, DemoTenant, WorkingHours } from "./demo-directory";
export { loadOrCreateSigningKey, type LocalSigningKey } from "./keys";
export { loadOrCreateLocalTlsCredentials, type LocalTlsCredentials } from "./tls";
export { createTrustingNetworkClient, type TrustingNetworkClientOptions } from "./msal-network";
export { createLocalM365, type LocalM365, type LocalM365Options, type MintAccessTokenInput, type MintAppTokenInput } from "./local-tenant";
export type { ActiveFault, FaultController, FaultKind, FaultSpec } from "./faults";
export type { GraphStats, GraphStatsSnapshot, StatsFilter } from "./stats";
export { GRAPH_APP_ID, GRAPH_RESOURCE, LOCAL_DEFAULT_CLIENT_ID } from "./tokens";
export { MAX_BATCH_REQUESTS } from "./graph-engine";
