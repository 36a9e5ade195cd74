import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import type { GraphApi, GraphCaller } from "../graph/graph-api";
import { diff, type UnitOfWork } from "../store/unit-of-work";
import { PeopleRepository, type Person } from "../store/repositories/people.repository";
import type { Principal } from "./principal";

const PERSON_FIELDS = ["displayName", "mail", "userPrincipalName", "jobTitle", "department", "managerId", "timeZone", "workingHours"] as const;

/**
 * The people directory: who a caller is, read from Graph on first sight and refreshed after a
 * configurable time. Graph being down does not lock out a person we already know.
 */
export class PeopleService {
  private readonly repo = new PeopleRepository();
  /** Recently confirmed people, so a burst of requests does not re-read the row each time. */
  private readonly fresh = new Map<string, { person: Person; until: number }>();
  private readonly syncing = new Map<string, Promise<Person>>();

  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly graph: GraphApi,
    private readonly refreshMinutes: number,
    private readonly log: Logger,
  ) {}

  async ensure(principal: Principal): Promise<Person> {
    const key = `${principal.tenantId}|${principal.userId}`;
    const cached = this.fresh.get(key);
    if (cached && cached.until > Date.now()) return cached.person;
    const known = await this.repo.person(this.ds.manager, principal.tenantId, principal.userId);
    const stale = !known || Date.parse(known.syncedAt) + this.refreshMinutes * 60_000 < Date.now();
    let person = known;
    if (stale) {
      try {
        person = await this.syncOnce(key, principal);
      } catch (err) {
        // Another server instance may have recorded them at the same moment (the row then exists).
        const stored = known ?? (await this.repo.person(this.ds.manager, principal.tenantId, principal.userId));
        if (!stored) throw err;
        this.log.warn({ err, userId: principal.userId }, "could not refresh a person from Graph; using the stored record");
        person = stored;
      }
    }
    if (!person) throw new Error("person could not be recorded");
    if (this.fresh.size > 10_000) this.fresh.clear();
    this.fresh.set(key, { person, until: Date.now() + 60_000 });
    return person;
  }

  /** One read from Graph per person at a time: a new person's first requests arrive together. */
  private syncOnce(key: string, principal: Principal): Promise<Person> {
    let running = this.syncing.get(key);
    if (!running) {
      running = this.sync({ tenantId: principal.tenantId, userAssertion: principal.assertion }, principal.tenantId, principal.userId, principal.userId).finally(() => this.syncing.delete(key));
      this.syncing.set(key, running);
    }
    return running;
  }

  /** Reads a person from Graph and records what changed, audited as the actor's action. */
  async sync(caller: GraphCaller, tenantId: string, userId: string, actorId: string, requestId?: string): Promise<Person> {
    const [user, manager, mailbox] = await Promise.all([
      this.graph.getUser(caller, userId),
      this.graph.getManager(caller, userId),
      this.graph.getMailboxSettings(caller, userId),
    ]);
    return this.uow.run({ tenantId, actor: { tenantId, userId: actorId }, requestId: requestId ?? null }, async (tx) => {
      const before = await this.repo.person(tx.manager, tenantId, userId);
      const now = new Date().toISOString();
      const after: Person = {
        tenantId,
        id: user.id,
        displayName: user.displayName,
        mail: user.mail,
        userPrincipalName: user.userPrincipalName,
        jobTitle: user.jobTitle,
        department: user.department,
        managerId: manager?.id ?? null,
        timeZone: mailbox.timeZone,
        workingHours: mailbox.workingHours,
        syncedAt: now,
      };
      if (!(await this.repo.tenant(tx.manager, tenantId)) && (await this.repo.registerTenant(tx.manager, { id: tenantId, name: tenantId, settings: { requireBoundaryApproval: true }, createdAt: now }))) {
        tx.audit({ action: "tenant.registered", entity: "tenant", entityId: tenantId, changes: { id: { after: tenantId } } });
      }
      await this.repo.savePerson(tx.manager, after);
      const changes = diff(before, after, PERSON_FIELDS);
      tx.audit({
        action: before ? "person.refreshed" : "person.recorded",
        entity: "person",
        entityId: userId,
        changes,
        reason: "read from Microsoft Graph",
      });
      return after;
    });
  }
}
