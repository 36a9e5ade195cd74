import { Column, Entity, Index, PrimaryColumn } from "typeorm";

export type Rhythm = "weekly" | "biweekly";

@Entity({ name: "team" })
export class TeamEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 })
  tenantId!: string;

  @PrimaryColumn("varchar", { length: 64 })
  id!: string;

  @Column("varchar", { length: 200 })
  name!: string;

  @Column("varchar", { length: 1000, default: "" })
  description!: string;

  @Column("varchar", { length: 16, default: "weekly" })
  rhythm!: Rhythm;

  @Column("varchar", { name: "created_at", length: 30 })
  createdAt!: string;
}

@Entity({ name: "team_membership" })
@Index("ix_team_membership_person", ["tenantId", "personId"])
export class TeamMembershipEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 })
  tenantId!: string;

  @PrimaryColumn("varchar", { name: "team_id", length: 64 })
  teamId!: string;

  @PrimaryColumn("varchar", { name: "person_id", length: 64 })
  personId!: string;

  @Column("varchar", { length: 16, default: "member" })
  role!: "lead" | "member";
}
