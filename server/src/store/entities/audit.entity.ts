import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/**
 * One link of a tenant's audit chain. Append-only: the database refuses UPDATE, DELETE and
 * TRUNCATE (see the migration). Every value is stored as text exactly as it is hashed.
 */
@Entity({ name: "audit_event" })
@Index("ix_audit_event_entity", ["tenantId", "entityId"])
@Index("ix_audit_event_actor", ["tenantId", "actorId"])
@Index("ix_audit_event_time", ["tenantId", "occurredAt"])
export class AuditEventEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 })
  tenantId!: string;

  @PrimaryColumn("integer")
  seq!: number;

  @Column("varchar", { name: "occurred_at", length: 30 })
  occurredAt!: string;

  @Column("varchar", { name: "actor_tenant_id", length: 36 })
  actorTenantId!: string;

  @Column("varchar", { name: "actor_id", length: 64 })
  actorId!: string;

  @Column("varchar", { length: 100 })
  action!: string;

  @Column("varchar", { length: 64 })
  entity!: string;

  @Column("varchar", { name: "entity_id", length: 128 })
  entityId!: string;

  @Column("text")
  changes!: string;

  @Column("text", { nullable: true })
  reason!: string | null;

  @Column("varchar", { name: "request_id", length: 128, nullable: true })
  requestId!: string | null;

  @Column("varchar", { name: "prev_hash", length: 64 })
  prevHash!: string;

  @Column("varchar", { length: 64 })
  hash!: string;
}

/** An Ed25519-signed statement of a tenant's chain head at a sequence number. */
@Entity({ name: "audit_checkpoint" })
export class AuditCheckpointEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 })
  tenantId!: string;

  @PrimaryColumn("integer")
  seq!: number;

  @Column("varchar", { name: "head_hash", length: 64 })
  headHash!: string;

  @Column("varchar", { name: "signed_at", length: 30 })
  signedAt!: string;

  @Column("varchar", { name: "key_id", length: 64 })
  keyId!: string;

  @Column("varchar", { length: 200 })
  signature!: string;
}
