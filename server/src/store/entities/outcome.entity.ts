import { Column, Entity, PrimaryColumn } from "typeorm";

const num = { transformer: { to: (v: number | null) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) } };

@Entity({ name: "outcome" })
export class OutcomeEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 }) tenantId!: string;
  @PrimaryColumn("varchar", { length: 36 }) id!: string;
  @Column("varchar", { name: "owner_id", length: 64 }) ownerId!: string;
  @Column("varchar", { name: "team_id", length: 64 }) teamId!: string;
  @Column("varchar", { length: 200 }) title!: string;
  @Column("varchar", { length: 200 }) metric!: string;
  @Column("varchar", { length: 50 }) unit!: string;
  @Column("double precision", num) baseline!: number;
  @Column("double precision", num) target!: number;
  @Column("double precision", { name: "current_value", nullable: true, ...num }) currentValue!: number | null;
  @Column("varchar", { length: 10 }) deadline!: string;
  @Column("text", { name: "if_missed" }) ifMissed!: string;
  @Column("varchar", { length: 10 }) visibility!: string;
  @Column("varchar", { length: 12 }) status!: string;
  @Column("text") approach!: string;
  @Column("varchar", { name: "risk_class", length: 50, nullable: true }) riskClass!: string | null;
  @Column("varchar", { name: "approval_state", length: 12 }) approvalState!: string;
  @Column("varchar", { name: "approved_by", length: 64, nullable: true }) approvedBy!: string | null;
  @Column("text", { name: "agreed_what", nullable: true }) agreedWhat!: string | null;
  @Column("text", { nullable: true }) pending!: string | null;
  @Column("text", { name: "delegate_ids" }) delegateIds!: string;
  @Column("integer") version!: number;
  @Column("varchar", { name: "created_by", length: 64 }) createdBy!: string;
  @Column("varchar", { name: "created_at", length: 30 }) createdAt!: string;
  @Column("varchar", { name: "updated_at", length: 30 }) updatedAt!: string;
  @Column("varchar", { name: "agreed_at", length: 30, nullable: true }) agreedAt!: string | null;
  @Column("varchar", { name: "done_at", length: 30, nullable: true }) doneAt!: string | null;
  @Column("varchar", { name: "closed_at", length: 30, nullable: true }) closedAt!: string | null;
  @Column("varchar", { name: "at_risk_since", length: 30, nullable: true }) atRiskSince!: string | null;
  @Column("varchar", { name: "escalated_at", length: 30, nullable: true }) escalatedAt!: string | null;
  @Column("varchar", { name: "last_check_in_at", length: 30, nullable: true }) lastCheckInAt!: string | null;
}

@Entity({ name: "outcome_agreement" })
export class OutcomeAgreementEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 }) tenantId!: string;
  @PrimaryColumn("varchar", { name: "outcome_id", length: 36 }) outcomeId!: string;
  @PrimaryColumn("integer") version!: number;
  @Column("varchar", { length: 10 }) kind!: string;
  @Column("text") what!: string;
  @Column("varchar", { name: "proposed_by", length: 64 }) proposedBy!: string;
  @Column("varchar", { name: "proposed_as", length: 10 }) proposedAs!: string;
  @Column("text", { nullable: true }) reason!: string | null;
  @Column("varchar", { length: 12 }) state!: string;
  @Column("varchar", { name: "owner_accepted_at", length: 30, nullable: true }) ownerAcceptedAt!: string | null;
  @Column("varchar", { name: "manager_accepted_at", length: 30, nullable: true }) managerAcceptedAt!: string | null;
  @Column("varchar", { name: "manager_id", length: 64, nullable: true }) managerId!: string | null;
  @Column("varchar", { name: "created_at", length: 30 }) createdAt!: string;
  @Column("varchar", { name: "decided_at", length: 30, nullable: true }) decidedAt!: string | null;
  @Column("varchar", { name: "decided_by", length: 64, nullable: true }) decidedBy!: string | null;
  @Column("text", { name: "decision_reason", nullable: true }) decisionReason!: string | null;
}
