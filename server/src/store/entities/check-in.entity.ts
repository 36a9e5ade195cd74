import { Column, Entity, PrimaryColumn } from "typeorm";

const num = { transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } };

@Entity({ name: "check_in" })
export class CheckInEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 }) tenantId!: string;
  @PrimaryColumn("varchar", { length: 36 }) id!: string;
  @Column("varchar", { name: "outcome_id", length: 36 }) outcomeId!: string;
  @Column("varchar", { name: "team_id", length: 64 }) teamId!: string;
  @Column("varchar", { name: "owner_id", length: 64 }) ownerId!: string;
  @Column("varchar", { name: "author_id", length: 64 }) authorId!: string;
  @Column("varchar", { length: 30 }) at!: string;
  @Column("varchar", { length: 10 }) status!: string;
  @Column("integer") confidence!: number;
  @Column("double precision", num) progress!: number;
  @Column("text", { nullable: true }) note!: string | null;
  @Column("text", { nullable: true }) blockers!: string | null;
  @Column("text", { name: "support_needed", nullable: true }) supportNeeded!: string | null;
  @Column("text", { name: "next_step", nullable: true }) nextStep!: string | null;
  @Column("text") ideas!: string;
  /** Non-empty ideas, kept when retention clears their text; null when written before it was counted. */
  @Column("integer", { name: "ideas_count", nullable: true }) ideasCount!: number | null;
  /** Whether support was asked for, kept when retention clears the words; null as above. */
  @Column("boolean", { name: "support_asked", nullable: true }) supportAsked!: boolean | null;
  @Column("varchar", { length: 8 }) mode!: string;
  @Column("varchar", { name: "occurrence_id", length: 200, nullable: true }) occurrenceId!: string | null;
  @Column("varchar", { name: "schedule_id", length: 36, nullable: true }) scheduleId!: string | null;
  @Column("varchar", { name: "redacted_at", length: 30, nullable: true }) redactedAt!: string | null;
}

@Entity({ name: "check_in_comment" })
export class CommentEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 }) tenantId!: string;
  @PrimaryColumn("varchar", { length: 36 }) id!: string;
  @Column("varchar", { name: "check_in_id", length: 36 }) checkInId!: string;
  @Column("varchar", { name: "outcome_id", length: 36 }) outcomeId!: string;
  @Column("varchar", { name: "team_id", length: 64 }) teamId!: string;
  @Column("varchar", { name: "author_id", length: 64 }) authorId!: string;
  @Column("varchar", { length: 30 }) at!: string;
  @Column("varchar", { length: 10 }) kind!: string;
  @Column("text", { nullable: true }) text!: string | null;
  @Column("varchar", { name: "redacted_at", length: 30, nullable: true }) redactedAt!: string | null;
}

@Entity({ name: "nudge" })
export class NudgeEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 }) tenantId!: string;
  @PrimaryColumn("varchar", { length: 36 }) id!: string;
  @Column("varchar", { name: "outcome_id", length: 36 }) outcomeId!: string;
  @Column("varchar", { name: "team_id", length: 64 }) teamId!: string;
  @Column("varchar", { name: "owner_id", length: 64 }) ownerId!: string;
  @Column("varchar", { name: "sender_id", length: 64, nullable: true }) senderId!: string | null;
  @Column("varchar", { length: 10 }) kind!: string;
  @Column("varchar", { length: 30 }) at!: string;
  @Column("text", { nullable: true }) message!: string | null;
  @Column("varchar", { name: "redacted_at", length: 30, nullable: true }) redactedAt!: string | null;
}

@Entity({ name: "review" })
export class ReviewEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 }) tenantId!: string;
  @PrimaryColumn("varchar", { length: 36 }) id!: string;
  @Column("varchar", { name: "outcome_id", length: 36 }) outcomeId!: string;
  @Column("varchar", { name: "team_id", length: 64 }) teamId!: string;
  @Column("varchar", { name: "author_id", length: 64 }) authorId!: string;
  @Column("varchar", { length: 30 }) at!: string;
  @Column("text", { name: "what_blocked" }) whatBlocked!: string;
  @Column("text", { name: "what_could_improve" }) whatCouldImprove!: string;
  @Column("text", { name: "support_needed", nullable: true }) supportNeeded!: string | null;
  @Column("text") causes!: string;
  @Column("text") actions!: string;
  @Column("varchar", { name: "redacted_at", length: 30, nullable: true }) redactedAt!: string | null;
}
