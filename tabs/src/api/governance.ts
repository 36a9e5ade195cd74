// Compliance boundaries, their findings, and the audit trail.
import type { ApiClient, Query } from "./client";
import type { AuditEvent, Boundary, BoundaryChange, BoundaryDetail, BoundaryFinding, NewBoundary, Page, VerifyReport } from "./types";

const bpath = (id: string) => `/boundaries/${encodeURIComponent(id)}`;

export class GovernanceApi {
  constructor(private readonly c: ApiClient) {}

  async boundaries(query: Query = {}, signal?: AbortSignal): Promise<Boundary[]> {
    return (await this.c.get<{ items: Boundary[] }>("/boundaries", query, signal)).items;
  }

  boundary(id: string, signal?: AbortSignal) {
    return this.c.request<BoundaryDetail>("GET", bpath(id), { signal });
  }

  createBoundary(body: NewBoundary) {
    return this.c.request<BoundaryDetail>("POST", "/boundaries", { body });
  }

  updateBoundary(id: string, etag: string | undefined, change: BoundaryChange) {
    return this.c.request<BoundaryDetail>("PATCH", bpath(id), { body: change, ifMatch: etag });
  }

  retireBoundary(id: string, reason: string) {
    return this.c.request<BoundaryDetail>("POST", `${bpath(id)}/retire`, { body: { reason } });
  }

  /** Decides on the pending version the person read: a newer one in its place answers 412. */
  decide(id: string, version: number, decision: "approve" | "reject", note?: string) {
    return this.c.request<BoundaryDetail>("POST", `${bpath(id)}/${decision}`, { body: note ? { note } : {}, ifMatch: `W/"${version}"` });
  }

  findings(query: Query = {}, signal?: AbortSignal): Promise<Page<BoundaryFinding>> {
    return this.c.get<Page<BoundaryFinding>>("/boundary-findings", query, signal);
  }

  auditEvents(query: Query = {}, signal?: AbortSignal): Promise<Page<AuditEvent>> {
    return this.c.get<Page<AuditEvent>>("/audit/events", query, signal);
  }

  verify(signal?: AbortSignal): Promise<VerifyReport> {
    return this.c.get<VerifyReport>("/audit/verify", undefined, signal);
  }

  /** The raw streamed export; the caller reads the body to show progress. */
  exportStream(format: "jsonl" | "csv", signal?: AbortSignal): Promise<Response> {
    return this.c.fetch("/audit/export", { query: { format }, signal, headers: { accept: format === "csv" ? "text/csv" : "application/x-ndjson" } });
  }
}
