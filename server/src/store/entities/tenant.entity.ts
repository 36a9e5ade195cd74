import { Column, Entity, PrimaryColumn } from "typeorm";

export interface TenantSettings {
  /** Maker-checker: boundary changes take effect only after a second person approves them. */
  requireBoundaryApproval: boolean;
}

@Entity({ name: "tenant" })
export class TenantEntity {
  @PrimaryColumn("varchar", { length: 36 })
  id!: string;

  @Column("varchar", { length: 200 })
  name!: string;

  @Column("simple-json")
  settings!: TenantSettings;

  @Column("varchar", { name: "created_at", length: 30 })
  createdAt!: string;
}
