import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { AppContext } from "../context";
import type {
  BoundaryDetailOut, BoundaryFindingOut, BoundaryOut, BoundaryVersionOut, CreateBoundary, ListFindingsQuery, UpdateBoundary,
} from "../contract/boundaries";
import { canApproveBoundary, checkTightening, describeRule, isInForce, looserFields, scanFreeText, sharedEntries, validateBoundary, type Boundary, type TighteningViolation } from "../domain/boundaries";
import {
  AppError, ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, UnprocessableError, ValidationError, type FieldError,
} from "../errors";
import { ROLES, hasRole, requireGate, type Principal, type RoleGate } from "../identity/principal";
import { dbNow } from "../store/db-time";
import { BoundaryRepository, type StoredBoundary } from "../store/repositories/boundary.repository";
import { PeopleRepository } from "../store/repositories/people.repository";
import { diff, type Tx } from "../store/unit-of-work";
import { decodeKeysetCursor, encodeKeysetCursor } from "./keyset-cursor";

/** The fields of a version that a change may alter (scope and the rule's kind never change). */
const FIELDS = ["name", "scope", "enforcement", "rule", "effectiveFrom", "effectiveTo", "expiresAt", "reason"] as const;
const CHANGED_MEANWHILE = "The boundary changed while this request ran; read it again and retry.";

/** 422: a narrower boundary would loosen a wider one in force. Names the wider boundary and each looser field. */
export class BoundaryLooserError extends UnprocessableError {
  constructor(readonly violations: TighteningViolation[]) {
    const first = violations[0]!;
    const more = violations.length > 1 ? ` (${violations.length - 1} more in violations)` : "";
    super("boundary-looser", "Looser than a wider boundary", `${first.message}${more} A narrower scope may only tighten a wider one.`, {
      boundary: { id: first.boundaryId, name: first.boundaryName, scope: first.scope },
      violations: violations.map((v) => ({
        boundaryId: v.boundaryId, boundaryName: v.boundaryName, scope: v.scope, field: v.field, candidateValue: v.candidateValue, widerValue: v.widerValue, message: v.message,
      })),
      errors: violations.map((v) => ({ path: v.field, message: v.message })),
    });
  }
}

/**
 * A retirement is stored as a version with an empty window [t, t): such a version never applies,
 * and an ordinary change cannot have one (its end must come after its start).
 */
export function isRetirement(b: StoredBoundary): boolean {
  return b.state === "retired" || (!!b.effectiveTo && b.effectiveTo === b.effectiveFrom);
}

const asBoundary = (b: StoredBoundary): Boundary => ({ ...b, state: b.state === "retired" ? "superseded" : b.state });
const latestOf = (vs: StoredBoundary[]): StoredBoundary => vs[vs.length - 1]!;
const pendingOf = (vs: StoredBoundary[]) => vs.find((v) => v.state === "pending_approval");

/** The version that governs: the active one, else the latest decided one, else the first proposal. */
export function governing(vs: StoredBoundary[]): StoredBoundary {
  return vs.find((v) => v.state === "active") ?? [...vs].reverse().find((v) => v.state !== "pending_approval") ?? latestOf(vs);
}

export const etagOf = (vs: StoredBoundary[]): string => `W/"${latestOf(vs).version}"`;

/**
 * A change replaces the version in force when it takes effect, and the version it replaces ends
 * then. A change of a boundary in force that would start later would leave no version in force
 * meanwhile, so it is refused: a change takes effect at once, and a later rule is a new boundary
 * with its own start (both then apply until this one is retired).
 */
function refuseGap(current: StoredBoundary, next: StoredBoundary, now: string): void {
  if (current.state !== "active" || !isInForce(asBoundary(current), now)) return;
  if (Date.parse(next.effectiveFrom) <= Date.parse(now)) return;
  throw new ValidationError(
    [{ path: "effectiveFrom", message: "This boundary is in force: a change to it takes effect at once. For a rule that starts later, create a new boundary with that start, and retire this one when it does." }],
    "A change would leave the boundary out of force until it starts.",
  );
}

const toInstant = (s: string | null | undefined): string | null => (s ? new Date(Date.parse(s)).toISOString() : null);

function versionOut(b: StoredBoundary): BoundaryVersionOut {
  return {
    version: b.version,
    state: b.state,
    change: isRetirement(b) ? "retire" : b.version === 1 ? "create" : "change",
    name: b.name,
    scope: b.scope,
    enforcement: b.enforcement,
    rule: b.rule,
    ruleText: describeRule(b.rule),
    effectiveFrom: b.effectiveFrom,
    effectiveTo: b.effectiveTo ?? null,
    expiresAt: b.expiresAt ?? null,
    reason: b.reason ?? null,
    proposedBy: b.proposedBy,
    proposedAt: b.proposedAt,
    decidedBy: b.decidedBy,
    decidedAt: b.decidedAt,
  };
}

export function boundaryOut(vs: StoredBoundary[], now: string): BoundaryOut {
  const g = governing(vs);
  const p = pendingOf(vs);
  return {
    id: g.id,
    kind: g.rule.kind,
    ...versionOut(g),
    inForce: g.state === "active" && isInForce(asBoundary(g), now),
    pendingVersion: p?.version ?? null,
    pending: p ? versionOut(p) : null,
  };
}

const detailOut = (vs: StoredBoundary[], now: string): BoundaryDetailOut => ({ ...boundaryOut(vs, now), versions: vs.map(versionOut) });

/** Free text a change writes, with the operation to name in a finding. */
interface FreeText {
  operation: string;
  fields: { path: string; text: string | null | undefined }[];
}

export interface BoundaryResult {
  body: BoundaryDetailOut;
  etag: string;
}

function isDuplicateKey(err: unknown): boolean {
  const code = (err as { driverError?: { code?: unknown } }).driverError?.code ?? (err as { code?: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}

const isOfficer = (p: Principal) => hasRole(p, ROLES.admin) || hasRole(p, ROLES.compliance);

const adminOnly = (what: string): RoleGate => ({ anyOf: [ROLES.admin], refusal: `${what} needs the ${ROLES.admin} role.` });

/** Who may act on boundaries: the routes check these before reading a request, and the service again. */
export const BOUNDARY_GATES = {
  create: adminOnly("Creating a boundary"),
  update: adminOnly("Changing a boundary"),
  retire: adminOnly("Retiring a boundary"),
  decide: { anyOf: [ROLES.admin, ROLES.compliance], refusal: `Deciding on a boundary change needs the ${ROLES.admin} or ${ROLES.compliance} role.` },
  findings: { anyOf: [ROLES.compliance, ROLES.admin], refusal: `Boundary findings are for the ${ROLES.compliance} and ${ROLES.admin} roles.` },
} satisfies Record<string, RoleGate>;


/** If-Match is optional; when sent it must name the boundary's latest version (`W/"<version>"` or `*`). */
function checkIfMatch(vs: StoredBoundary[], ifMatch: string | undefined): void {
  if (ifMatch === undefined) return;
  const current = latestOf(vs).version;
  const tags = ifMatch.split(",").map((t) => t.trim().replace(/^W\//, ""));
  if (tags.includes("*") || tags.includes(`"${current}"`)) return;
  throw new PreconditionFailedError(`The boundary is at version ${current} now; read it again before changing it.`, { currentVersion: current });
}

/**
 * Compliance boundaries: reading them, proposing new ones and changes (versioned), retiring them,
 * and the maker-checker decision. Every change runs in one audited unit of work and clears the
 * enforcement cache after commit.
 */
export class BoundaryService {
  private readonly repo = new BoundaryRepository();
  private readonly people = new PeopleRepository();

  constructor(private readonly ctx: AppContext) {}

  /** Boundaries the caller may read: all for admins and compliance; otherwise tenant-wide, their teams' and their own. */
  async list(p: Principal, filter: { state?: string; kind?: string; scope?: string }): Promise<BoundaryOut[]> {
    const m = this.ctx.dataSource.manager;
    const visible = await this.visibility(m, p);
    const groups = new Map<string, StoredBoundary[]>();
    for (const b of await this.repo.all(m, p.tenantId)) groups.set(b.id, [...(groups.get(b.id) ?? []), b]);
    const now = new Date().toISOString();
    const out: BoundaryOut[] = [];
    for (const vs of groups.values()) {
      vs.sort((a, b) => a.version - b.version);
      const item = boundaryOut(vs, now);
      if (!visible(governing(vs))) continue;
      if (filter.kind && item.kind !== filter.kind) continue;
      if (filter.scope && item.scope.level !== filter.scope) continue;
      if (filter.state && (filter.state === "pending_approval" ? item.pendingVersion === null : item.state !== filter.state)) continue;
      out.push(item);
    }
    return out;
  }

  async get(p: Principal, id: string): Promise<BoundaryResult> {
    const m = this.ctx.dataSource.manager;
    const vs = await this.load(m, p.tenantId, id);
    if (!(await this.visibility(m, p))(governing(vs))) throw new NotFoundError("boundary");
    return { body: detailOut(vs, new Date().toISOString()), etag: etagOf(vs) };
  }

  async create(p: Principal, requestId: string, input: CreateBoundary): Promise<BoundaryResult> {
    requireGate(p, BOUNDARY_GATES.create);
    const id = randomUUID();
    return this.mutate(p, requestId, id, { operation: "boundary.create", fields: [{ path: "name", text: input.name }, { path: "reason", text: input.reason }] }, async (tx, now) => {
      const approval = await this.approvalRequired(tx.manager, p.tenantId);
      const candidate: StoredBoundary = {
        id, name: input.name, version: 1, scope: input.scope, enforcement: input.enforcement, rule: input.rule,
        effectiveFrom: toInstant(input.effectiveFrom) ?? now, effectiveTo: toInstant(input.effectiveTo), expiresAt: toInstant(input.expiresAt), reason: input.reason ?? null,
        ...this.proposal(p, approval ? "pending_approval" : "active", now),
      };
      await this.vet(tx.manager, p.tenantId, candidate, now);
      await this.repo.insertVersion(tx.manager, p.tenantId, candidate);
      tx.audit({
        action: approval ? "boundary.proposed" : "boundary.created",
        entity: "boundary",
        entityId: id,
        changes: { version: { after: 1 }, state: { after: candidate.state }, change: { after: "create" }, ...diff(null, candidate, FIELDS) },
        reason: candidate.reason ?? null,
      });
    });
  }

  /** A new version with the changed fields; with maker-checker it waits for approval while the active one stays in force. */
  async update(p: Principal, requestId: string, id: string, input: UpdateBoundary, ifMatch: string | undefined): Promise<BoundaryResult> {
    requireGate(p, BOUNDARY_GATES.update);
    return this.mutate(p, requestId, id, { operation: "boundary.change", fields: [{ path: "name", text: input.name }, { path: "reason", text: input.reason }] }, async (tx, now) => {
      const vs = await this.load(tx.manager, p.tenantId, id);
      checkIfMatch(vs, ifMatch);
      this.refusePending(vs);
      const base = governing(vs);
      if (base.state === "retired") throw new ConflictError("This boundary is retired; create a new one instead.", { code: "retired" });
      if (input.rule && input.rule.kind !== base.rule.kind) {
        throw new ValidationError([{ path: "rule.kind", message: `This boundary's kind stays "${base.rule.kind}"; retire it and create a new one for another kind.` }]);
      }
      const approval = await this.approvalRequired(tx.manager, p.tenantId);
      const next: StoredBoundary = {
        ...base,
        name: input.name ?? base.name,
        enforcement: input.enforcement ?? base.enforcement,
        rule: input.rule ?? base.rule,
        effectiveFrom: input.effectiveFrom !== undefined ? (toInstant(input.effectiveFrom) ?? now) : base.effectiveFrom,
        effectiveTo: input.effectiveTo !== undefined ? toInstant(input.effectiveTo) : (base.effectiveTo ?? null),
        expiresAt: input.expiresAt !== undefined ? toInstant(input.expiresAt) : (base.expiresAt ?? null),
        reason: input.reason !== undefined ? input.reason : (base.reason ?? null),
        version: latestOf(vs).version + 1,
        ...this.proposal(p, approval ? "pending_approval" : "active", now),
      };
      const changes = diff(base, next, FIELDS);
      if (base.state === "active" && Object.keys(changes).length === 0) throw new ValidationError([{ path: "", message: "Nothing would change." }]);
      refuseGap(base, next, now);
      await this.vet(tx.manager, p.tenantId, next, now, base.state === "active" ? base : undefined);
      await this.repo.insertVersion(tx.manager, p.tenantId, next);
      tx.audit({
        action: approval ? "boundary.proposed" : "boundary.changed",
        entity: "boundary",
        entityId: id,
        changes: { version: { before: base.version, after: next.version }, state: { after: next.state }, change: { after: "change" }, ...changes },
        reason: next.reason ?? null,
      });
      if (!approval) await this.supersede(tx, base, next.version);
    });
  }

  /** Ends a boundary; with maker-checker the retirement waits for approval and the boundary stays in force meanwhile. */
  async retire(p: Principal, requestId: string, id: string, reason: string, ifMatch: string | undefined): Promise<BoundaryResult> {
    requireGate(p, BOUNDARY_GATES.retire);
    return this.mutate(p, requestId, id, { operation: "boundary.retire", fields: [{ path: "reason", text: reason }] }, async (tx, now) => {
      const vs = await this.load(tx.manager, p.tenantId, id);
      checkIfMatch(vs, ifMatch);
      this.refusePending(vs);
      const active = vs.find((v) => v.state === "active");
      if (!active) {
        const retired = governing(vs).state === "retired";
        throw new ConflictError(retired ? "This boundary is already retired." : "No version of this boundary is active, so there is nothing to retire.", { code: retired ? "retired" : "not_active" });
      }
      const approval = await this.approvalRequired(tx.manager, p.tenantId);
      const version = latestOf(vs).version + 1;
      const retirement: StoredBoundary = { ...active, version, effectiveFrom: now, effectiveTo: now, reason, ...this.proposal(p, approval ? "pending_approval" : "retired", now) };
      await this.repo.insertVersion(tx.manager, p.tenantId, retirement);
      tx.audit({
        action: approval ? "boundary.proposed" : "boundary.retired",
        entity: "boundary",
        entityId: id,
        changes: { version: { before: active.version, after: version }, state: approval ? { after: retirement.state } : { before: "active", after: "retired" }, change: { after: "retire" } },
        reason,
      });
      if (!approval) await this.supersede(tx, active, version);
    });
  }

  /** Maker-checker: someone other than the proposer, with the admin or compliance role, approves or rejects the pending version. */
  async decide(p: Principal, requestId: string, id: string, decision: "approve" | "reject", note: string | undefined, ifMatch: string | undefined): Promise<BoundaryResult> {
    requireGate(p, BOUNDARY_GATES.decide);
    return this.mutate(p, requestId, id, { operation: `boundary.${decision}`, fields: [{ path: "note", text: note }] }, async (tx, now) => {
      const vs = await this.load(tx.manager, p.tenantId, id);
      checkIfMatch(vs, ifMatch);
      const pending = pendingOf(vs);
      if (!pending) throw new ConflictError("Nothing about this boundary awaits approval.", { code: "nothing_pending" });
      const allowed = canApproveBoundary(pending, { id: p.userId, roles: p.roles });
      if (!allowed.ok) {
        if (pending.proposedBy === p.userId) throw new AppError(403, "boundary-self-approval", "Nobody decides on their own change", allowed.error.message, { proposedBy: pending.proposedBy });
        throw new ForbiddenError(allowed.error.message);
      }
      const decided = { by: p.userId, at: now };
      const key = { id, version: pending.version };
      const base = { entity: "boundary", entityId: id };
      if (decision === "reject") {
        if (!(await this.repo.transition(tx.manager, p.tenantId, key, "pending_approval", "rejected", decided))) throw new ConflictError(CHANGED_MEANWHILE);
        tx.audit({ ...base, action: "boundary.rejected", changes: { version: { after: pending.version }, state: { before: "pending_approval", after: "rejected" }, decidedBy: { after: p.userId } }, reason: note ?? null });
        return;
      }
      const retirement = isRetirement(pending);
      const inForce = vs.find((v) => v.state === "active");
      if (!retirement) await this.checkWider(tx.manager, p.tenantId, { ...pending, state: "active" }, now, inForce);
      if (!retirement && inForce) refuseGap(inForce, pending, now);
      const to = retirement ? "retired" : "active";
      if (!(await this.repo.transition(tx.manager, p.tenantId, key, "pending_approval", to, decided))) throw new ConflictError(CHANGED_MEANWHILE);
      tx.audit({ ...base, action: "boundary.approved", changes: { version: { after: pending.version }, state: { before: "pending_approval", after: to }, decidedBy: { after: p.userId } }, reason: note ?? null });
      const active = vs.find((v) => v.state === "active");
      if (active) await this.supersede(tx, active, pending.version);
      if (retirement) {
        tx.audit({ ...base, action: "boundary.retired", changes: { version: { before: active?.version, after: pending.version }, state: { before: "active", after: "retired" } }, reason: pending.reason ?? null });
      }
    });
  }

  /** Recorded violations (blocked attempts and warnings), newest first. */
  async findings(p: Principal, q: ListFindingsQuery): Promise<{ items: BoundaryFindingOut[]; nextCursor: string | null }> {
    requireGate(p, BOUNDARY_GATES.findings);
    const rows = await this.repo.findings(this.ctx.dataSource.manager, p.tenantId, {
      ...(q.from ? { from: toInstant(q.from)! } : {}),
      ...(q.to ? { to: toInstant(q.to)! } : {}),
      ...(q.boundaryId ? { boundaryId: q.boundaryId } : {}),
      ...(q.enforcement ? { enforcement: q.enforcement } : {}),
      ...(q.cursor ? { after: decodeKeysetCursor(q.cursor) } : {}),
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((f) => ({ ...f, outcome: f.enforcement === "block" ? "blocked" : "warned" })),
      nextCursor: rows.length > q.limit && last ? encodeKeysetCursor(last.at, last.id) : null,
    };
  }

  // ---- internals ----

  /**
   * Runs a change in one audited unit of work. `texts` are what the change writes in its own words
   * (a name, a reason, a decision's note): kept word for word in the audit trail, they are checked
   * against the content boundaries that apply to the person writing them, like all free text.
   */
  private async mutate(p: Principal, requestId: string, id: string, texts: FreeText, work: (tx: Tx, now: string) => Promise<void>): Promise<BoundaryResult> {
    try {
      return await this.ctx.boundaries.guard(requestId, () =>
        this.ctx.uow.run({ tenantId: p.tenantId, actor: { tenantId: p.tenantId, userId: p.userId }, requestId }, async (tx) => {
          const now = await dbNow(tx.manager);
          // The rules in force before this change: read before its writes, so a boundary never
          // judges its own text, and nothing this transaction wrote reaches the rules' cache.
          const rules = await this.rulesOf(tx, p, now);
          await work(tx, now);
          // Enforced after the work's own checks (If-Match, what is pending, who decides), so a
          // refusal for those is not recorded as a blocked attempt; a block rolls the work back.
          const warnings = await this.ctx.boundaries.enforce(tx, { operation: texts.operation, entity: "boundary", entityId: id }, scanFreeText(rules, texts.fields));
          tx.afterCommit(() => this.ctx.boundaries.invalidate(p.tenantId));
          const vs = await this.repo.versions(tx.manager, p.tenantId, id);
          return { body: { ...detailOut(vs, now), ...(warnings.length > 0 ? { warnings } : {}) }, etag: etagOf(vs) };
        }),
      );
    } catch (err) {
      if (isDuplicateKey(err)) throw new ConflictError(CHANGED_MEANWHILE);
      throw err;
    }
  }

  /** The rules that apply to the person writing: their own, their teams' and the tenant's. */
  private async rulesOf(tx: Tx, p: Principal, now: string) {
    const teamsOf = async () => (await this.people.teamsOf(tx.manager, p.tenantId, p.userId)).map((t) => t.id);
    return this.ctx.boundaries.rulesForPerson(tx.manager, p.tenantId, p.userId, [], teamsOf, now);
  }

  private proposal(p: Principal, state: StoredBoundary["state"], now: string) {
    return { state, proposedBy: p.userId, proposedAt: now, decidedBy: null, decidedAt: null };
  }

  private async load(m: EntityManager, tenantId: string, id: string): Promise<StoredBoundary[]> {
    const vs = await this.repo.versions(m, tenantId, id);
    if (vs.length === 0) throw new NotFoundError("boundary");
    return vs;
  }

  private refusePending(vs: StoredBoundary[]): void {
    const p = pendingOf(vs);
    if (p) throw new ConflictError(`Version ${p.version} of this boundary awaits approval; approve or reject it first.`, { code: "pending", pendingVersion: p.version });
  }

  private async visibility(m: EntityManager, p: Principal): Promise<(b: StoredBoundary) => boolean> {
    if (isOfficer(p)) return () => true;
    const teams = new Set((await this.people.teamsOf(m, p.tenantId, p.userId)).map((t) => t.id));
    return (b) => b.scope.level === "tenant" || (b.scope.level === "team" && teams.has(b.scope.teamId)) || (b.scope.level === "person" && b.scope.personId === p.userId);
  }

  /** Maker-checker is on unless the tenant's settings say otherwise (an unknown tenant requires it). */
  private async approvalRequired(m: EntityManager, tenantId: string): Promise<boolean> {
    return (await this.people.tenant(m, tenantId))?.settings.requireBoundaryApproval ?? true;
  }

  /** The checks a candidate version must pass: its own values, dates still to come, a scope that exists, and tightening. */
  private async vet(m: EntityManager, tenantId: string, c: StoredBoundary, now: string, base?: StoredBoundary): Promise<void> {
    const errors: FieldError[] = validateBoundary(asBoundary(c)).map((e) => ({ path: e.path ?? "", message: e.message }));
    for (const key of ["effectiveTo", "expiresAt"] as const) {
      const end = c[key];
      if (end && Date.parse(end) <= Date.parse(now) && !errors.some((e) => e.path === key)) {
        errors.push({ path: key, message: "This moment has already passed, so the boundary would never apply." });
      }
    }
    if (c.scope.level === "team" && !(await this.people.team(m, tenantId, c.scope.teamId))) {
      errors.push({ path: "scope.teamId", message: "No team with this id in your tenant." });
    }
    if (c.scope.level === "person" && !(await this.people.person(m, tenantId, c.scope.personId))) {
      errors.push({ path: "scope.personId", message: "No person with this id in your tenant's directory." });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    await this.checkWider(m, tenantId, c, now, base);
  }

  /**
   * Refuses a team or person boundary that is looser than a tenant boundary, or a team boundary of
   * the person's teams, in force. For a change to a boundary, only what the change itself loosens
   * is refused: after a wider boundary was tightened, the narrower one can still be renamed or
   * tightened step by step, but not loosened further.
   */
  private async checkWider(m: EntityManager, tenantId: string, c: StoredBoundary, now: string, base?: StoredBoundary): Promise<void> {
    if (c.scope.level === "tenant") return;
    const teamsOf = async (personId: string) => new Set((await this.people.teamsOf(m, tenantId, personId)).map((t) => t.id));
    const active = await this.repo.active(m, tenantId);
    const widerFor = async (b: StoredBoundary) => {
      const teams = b.scope.level === "person" ? await teamsOf(b.scope.personId) : new Set<string>();
      return active.filter((w) => w.scope.level === "tenant" || (w.scope.level === "team" && teams.has(w.scope.teamId)));
    };
    // A version takes effect from its start, or from now when that has passed (a change in force,
    // or one approved later): wider rules that lapsed before then do not bind it.
    const fromNow = (b: StoredBoundary): StoredBoundary => (Date.parse(b.effectiveFrom) < Date.parse(now) ? { ...b, effectiveFrom: now } : b);
    const wider = await widerFor(c);
    let violations = checkTightening(asBoundary(fromNow(c)), wider);
    if (base && violations.length > 0 && base.scope.level === c.scope.level) {
      const before = checkTightening(asBoundary({ ...fromNow(base), state: "active" }), await widerFor(base));
      const loosened = new Set(looserFields(c.rule, base.rule).map((f) => f.field));
      if (c.enforcement === "warn" && base.enforcement === "block") loosened.add("enforcement");
      // A list that only warns now also warns about an entry the wider boundary blocks, beyond those it warned about before.
      const warnsAboutMore = (v: TighteningViolation) => {
        const w = wider.find((x) => x.id === v.boundaryId);
        if (v.field !== "enforcement" || !w) return false;
        const already = new Set(sharedEntries(base.rule, w.rule));
        return sharedEntries(c.rule, w.rule).some((entry) => !already.has(entry));
      };
      // Kept: what was not looser than the wider boundary before, or is looser now than before.
      violations = violations.filter((v) => loosened.has(v.field) || warnsAboutMore(v) || !before.some((b) => b.boundaryId === v.boundaryId && b.field === v.field));
    }
    if (violations.length > 0) throw new BoundaryLooserError(violations);
  }

  private async supersede(tx: Tx, prev: StoredBoundary, byVersion: number): Promise<void> {
    if (prev.state !== "active") return;
    if (!(await this.repo.transition(tx.manager, tx.ctx.tenantId, prev, "active", "superseded"))) throw new ConflictError(CHANGED_MEANWHILE);
    tx.audit({
      action: "boundary.superseded",
      entity: "boundary",
      entityId: prev.id,
      changes: { version: { after: prev.version }, state: { before: "active", after: "superseded" }, supersededBy: { after: byVersion } },
    });
  }
}
