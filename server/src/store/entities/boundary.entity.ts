import { Column, Entity, PrimaryColumn } from "typeorm";

@Entity({ name: "boundary" })
export class BoundaryEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 }) tenantId!: string;
  @PrimaryColumn("varchar", { length: 36 }) id!: string;
  @PrimaryColumn("integer") version!: number;
  @Column("varchar", { length: 200 }) name!: string;
  @Column("varchar", { length: 40 }) kind!: string;
  @Column("varchar", { name: "scope_level", length: 10 }) scopeLevel!: string;
  @Column("varchar", { name: "scope_id", length: 64, nullable: true }) scopeId!: string | null;
  @Column("varchar", { length: 5 }) enforcement!: string;
  @Column("text") rule!: string;
  @Column("varchar", { name: "effective_from", length: 30 }) effectiveFrom!: string;
  @Column("varchar", { name: "effective_to", length: 30, nullable: true }) effectiveTo!: string | null;
  @Column("varchar", { name: "expires_at", length: 30, nullable: true }) expiresAt!: string | null;
  @Column("text", { nullable: true }) reason!: string | null;
  @Column("varchar", { length: 20 }) state!: string;
  @Column("varchar", { name: "proposed_by", length: 64 }) proposedBy!: string;
  @Column("varchar", { name: "proposed_at", length: 30 }) proposedAt!: string;
  @Column("varchar", { name: "decided_by", length: 64, nullable: true }) decidedBy!: string | null;
  @Column("varchar", { name: "decided_at", length: 30, nullable: true }) decidedAt!: string | null;
}

@Entity({ name: "boundary_finding" })
export class BoundaryFindingEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 }) tenantId!: string;
  @PrimaryColumn("varchar", { length: 36 }) id!: string;
  @Column("varchar", { name: "boundary_id", length: 36 }) boundaryId!: string;
  @Column("integer", { name: "boundary_version" }) boundaryVersion!: number;
  @Column("varchar", { name: "boundary_name", length: 200 }) boundaryName!: string;
  @Column("varchar", { length: 40 }) kind!: string;
  @Column("varchar", { length: 5 }) enforcement!: string;
  @Column("varchar", { length: 60 }) operation!: string;
  @Column("varchar", { length: 40 }) entity!: string;
  @Column("varchar", { name: "entity_id", length: 64, nullable: true }) entityId!: string | null;
  @Column("varchar", { name: "actor_id", length: 64 }) actorId!: string;
  @Column("varchar", { length: 100, nullable: true }) path!: string | null;
  @Column("text") message!: string;
  @Column("varchar", { length: 30 }) at!: string;
}
