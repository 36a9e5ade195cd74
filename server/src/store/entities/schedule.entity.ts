import { Column, Entity, PrimaryColumn } from "typeorm";

const int = { transformer: { to: (v: number | null) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) } };

export type Cadence = "weekly" | "biweekly";
export type SyncState = "pending" | "synced" | "failed" | "cancelled" | "linked";

/** An outcome's or a team's check-in rhythm, and the Outlook event series it is synced to. */
@Entity({ name: "check_in_schedule" })
export class CheckInScheduleEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 }) tenantId!: string;
  @PrimaryColumn("varchar", { length: 36 }) id!: string;
  /** Set for an outcome's rhythm; null for a team's. */
  @Column("varchar", { name: "outcome_id", length: 36, nullable: true }) outcomeId!: string | null;
  /** The team of the rhythm (for an outcome's rhythm: the outcome's team). */
  @Column("varchar", { name: "team_id", length: 64 }) teamId!: string;
  @Column("varchar", { length: 10 }) cadence!: Cadence;
  /** First occurrence as a UTC instant (ISO-8601). */
  @Column("varchar", { name: "first_start", length: 30 }) firstStart!: string;
  /** The zone the series repeats in: its wall-clock time stays fixed there. */
  @Column("varchar", { name: "time_zone", length: 100 }) timeZone!: string;
  @Column("integer", { name: "duration_minutes", ...int }) durationMinutes!: number;
  /** JSON array of person ids. */
  @Column("text", { name: "attendee_ids" }) attendeeIds!: string;
  @Column("varchar", { name: "organizer_id", length: 64 }) organizerId!: string;
  /** "leeway": Leeway creates the series; "outlook": the add-in made it in the organizer's calendar. */
  @Column("varchar", { length: 10 }) origin!: "leeway" | "outlook";
  @Column("varchar", { length: 10 }) status!: "active" | "cancelled";
  @Column("varchar", { name: "sync_state", length: 10 }) syncState!: SyncState;
  @Column("varchar", { name: "graph_event_id", length: 512, nullable: true }) graphEventId!: string | null;
  @Column("varchar", { name: "ical_uid", length: 512, nullable: true }) iCalUId!: string | null;
  @Column("varchar", { name: "external_item_id", length: 512, nullable: true }) externalItemId!: string | null;
  /** The version of this schedule the series last matched. */
  @Column("integer", { name: "synced_version", nullable: true, ...int }) syncedVersion!: number | null;
  @Column("integer", int) version!: number;
  @Column("varchar", { name: "created_by", length: 64 }) createdBy!: string;
  @Column("varchar", { name: "created_at", length: 30 }) createdAt!: string;
  @Column("varchar", { name: "updated_at", length: 30 }) updatedAt!: string;
  @Column("varchar", { name: "synced_at", length: 30, nullable: true }) syncedAt!: string | null;
  @Column("varchar", { name: "cancelled_at", length: 30, nullable: true }) cancelledAt!: string | null;
}

/** A change waiting to reach Microsoft Graph: written with the change it delivers, claimed by one worker at a time. */
@Entity({ name: "outbox_message" })
export class OutboxMessageEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 }) tenantId!: string;
  @PrimaryColumn("varchar", { length: 36 }) id!: string;
  @Column("varchar", { length: 40 }) kind!: string;
  /** Messages with the same key are delivered one at a time, oldest first. */
  @Column("varchar", { name: "ordering_key", length: 80 }) orderingKey!: string;
  @Column("varchar", { name: "schedule_id", length: 36, nullable: true }) scheduleId!: string | null;
  @Column("text") payload!: string;
  @Column("varchar", { length: 10 }) state!: "pending" | "done" | "failed";
  @Column("integer", int) attempts!: number;
  @Column("varchar", { name: "next_attempt_at", length: 30 }) nextAttemptAt!: string;
  @Column("varchar", { name: "claimed_by", length: 100, nullable: true }) claimedBy!: string | null;
  @Column("varchar", { name: "claimed_until", length: 30, nullable: true }) claimedUntil!: string | null;
  @Column("text", { name: "last_error", nullable: true }) lastError!: string | null;
  @Column("varchar", { name: "created_at", length: 30 }) createdAt!: string;
  @Column("varchar", { name: "finished_at", length: 30, nullable: true }) finishedAt!: string | null;
  @Column("varchar", { name: "delivered_by", length: 100, nullable: true }) deliveredBy!: string | null;
}

/** One reminder per schedule, outcome and occurrence: several instances never remind twice. */
@Entity({ name: "check_in_reminder" })
export class CheckInReminderEntity {
  @PrimaryColumn("varchar", { name: "tenant_id", length: 36 }) tenantId!: string;
  @PrimaryColumn("varchar", { name: "schedule_id", length: 36 }) scheduleId!: string;
  @PrimaryColumn("varchar", { name: "outcome_id", length: 36 }) outcomeId!: string;
  @PrimaryColumn("varchar", { name: "occurrence_at", length: 30 }) occurrenceAt!: string;
  @Column("varchar", { name: "nudge_id", length: 36 }) nudgeId!: string;
  @Column("varchar", { name: "sent_at", length: 30 }) sentAt!: string;
}
