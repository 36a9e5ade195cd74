// Calendar events and activity notifications of the local tenant, in SQLite so that a restart
// (or a second process on the same file) sees them. Events are kept as Graph JSON.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export interface StoredEvent {
  seq: number;
  id: string;
  tenantId: string;
  mailboxId: string;
  transactionId: string | null;
  data: Record<string, unknown>;
}

export interface StoredNotification {
  seq: number;
  tenantId: string;
  userId: string;
  data: Record<string, unknown>;
}

interface EventRow {
  seq: number;
  id: string;
  tenant_id: string;
  mailbox_id: string;
  transaction_id: string | null;
  data: string;
}

interface NotificationRow {
  seq: number;
  tenant_id: string;
  user_id: string;
  data: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  tenant_id TEXT NOT NULL,
  mailbox_id TEXT NOT NULL,
  transaction_id TEXT,
  data TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_transaction ON events (tenant_id, mailbox_id, transaction_id) WHERE transaction_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_mailbox ON events (tenant_id, mailbox_id);
CREATE TABLE IF NOT EXISTS notifications (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  data TEXT NOT NULL
);
`;

function toEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    id: row.id,
    tenantId: row.tenant_id,
    mailboxId: row.mailbox_id,
    transactionId: row.transaction_id,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}

export class CalendarStore {
  private readonly db: Database.Database;

  /** `file` is a path or ":memory:"; parent directories are created. */
  constructor(file = ":memory:") {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("busy_timeout = 5000");
    if (file !== ":memory:") this.db.pragma("journal_mode = WAL");
    this.db.exec(SCHEMA);
  }

  /**
   * Inserts an event unless the mailbox already has one with the same transactionId; returns the
   * stored event either way, and whether it was created now.
   */
  insertEvent(tenantId: string, mailboxId: string, data: Record<string, unknown>, transactionId: string | null): { event: StoredEvent; created: boolean } {
    const id = String(data.id);
    const info = this.db
      .prepare("INSERT INTO events (id, tenant_id, mailbox_id, transaction_id, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
      .run(id, tenantId, mailboxId, transactionId, JSON.stringify(data));
    if (info.changes === 1) return { event: this.requireEvent(id), created: true };
    const existing = transactionId ? this.findByTransaction(tenantId, mailboxId, transactionId) : undefined;
    if (!existing) throw new Error("event insert conflicted on its id");
    return { event: existing, created: false };
  }

  private requireEvent(id: string): StoredEvent {
    const row = this.db.prepare("SELECT * FROM events WHERE id = ?").get(id) as EventRow | undefined;
    if (!row) throw new Error(`event ${id} vanished`);
    return toEvent(row);
  }

  findByTransaction(tenantId: string, mailboxId: string, transactionId: string): StoredEvent | undefined {
    const row = this.db.prepare("SELECT * FROM events WHERE tenant_id = ? AND mailbox_id = ? AND transaction_id = ?").get(tenantId, mailboxId, transactionId) as EventRow | undefined;
    return row ? toEvent(row) : undefined;
  }

  getEvent(tenantId: string, mailboxId: string, id: string): StoredEvent | undefined {
    const row = this.db.prepare("SELECT * FROM events WHERE tenant_id = ? AND mailbox_id = ? AND id = ?").get(tenantId, mailboxId, id) as EventRow | undefined;
    return row ? toEvent(row) : undefined;
  }

  listEvents(tenantId: string, mailboxId: string): StoredEvent[] {
    const rows = this.db.prepare("SELECT * FROM events WHERE tenant_id = ? AND mailbox_id = ? ORDER BY seq").all(tenantId, mailboxId) as EventRow[];
    return rows.map(toEvent);
  }

  /** Every event of a tenant: free/busy needs invitations from other mailboxes too. */
  listTenantEvents(tenantId: string): StoredEvent[] {
    const rows = this.db.prepare("SELECT * FROM events WHERE tenant_id = ? ORDER BY seq").all(tenantId) as EventRow[];
    return rows.map(toEvent);
  }

  updateEvent(event: StoredEvent, data: Record<string, unknown>): StoredEvent {
    this.db.prepare("UPDATE events SET data = ? WHERE id = ?").run(JSON.stringify(data), event.id);
    return this.requireEvent(event.id);
  }

  deleteEvent(tenantId: string, mailboxId: string, id: string): boolean {
    return this.db.prepare("DELETE FROM events WHERE tenant_id = ? AND mailbox_id = ? AND id = ?").run(tenantId, mailboxId, id).changes === 1;
  }

  addNotification(tenantId: string, userId: string, data: Record<string, unknown>): void {
    this.db.prepare("INSERT INTO notifications (tenant_id, user_id, data) VALUES (?, ?, ?)").run(tenantId, userId, JSON.stringify(data));
  }

  listNotifications(filter: { tenantId?: string; userId?: string } = {}): StoredNotification[] {
    const rows = this.db
      .prepare("SELECT * FROM notifications WHERE (@tenantId IS NULL OR tenant_id = @tenantId) AND (@userId IS NULL OR user_id = @userId) ORDER BY seq")
      .all({ tenantId: filter.tenantId ?? null, userId: filter.userId ?? null }) as NotificationRow[];
    return rows.map((r) => ({ seq: r.seq, tenantId: r.tenant_id, userId: r.user_id, data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
