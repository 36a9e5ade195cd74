import { Column, Entity, Index, PrimaryColumn } from "typeorm";

export interface WorkingHours {
  daysOfWeek: string[];
  startTime: string;
  endTime: string;
  timeZone: { name: string };
}

/** A person as Microsoft Graph describes them, cached; identified by tenant + object id, never by mail. */
@Entity({ name: "person" })
@Index("ix_person_manager", ["tenantId", "managerId"])
export class PersonEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 })
  tenantId!: string;

  @PrimaryColumn("varchar", { length: 64 })
  id!: string;

  @Column("varchar", { name: "display_name", length: 200 })
  displayName!: string;

  @Column("varchar", { length: 320, nullable: true })
  mail!: string | null;

  @Column("varchar", { name: "user_principal_name", length: 320, nullable: true })
  userPrincipalName!: string | null;

  @Column("varchar", { name: "job_title", length: 200, nullable: true })
  jobTitle!: string | null;

  @Column("varchar", { length: 200, nullable: true })
  department!: string | null;

  @Column("varchar", { name: "manager_id", length: 64, nullable: true })
  managerId!: string | null;

  @Column("varchar", { name: "time_zone", length: 100 })
  timeZone!: string;

  @Column("simple-json", { name: "working_hours", nullable: true })
  workingHours!: WorkingHours | null;

  @Column("varchar", { name: "synced_at", length: 30 })
  syncedAt!: string;
}
