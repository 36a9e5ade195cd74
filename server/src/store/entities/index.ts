import { AuditCheckpointEntity, AuditEventEntity } from "./audit.entity";
import { BoundaryEntity, BoundaryFindingEntity } from "./boundary.entity";
import { CheckInEntity, CommentEntity, NudgeEntity, ReviewEntity } from "./check-in.entity";
import { OutcomeAgreementEntity, OutcomeEntity } from "./outcome.entity";
import { PersonEntity } from "./person.entity";
import { CheckInReminderEntity, CheckInScheduleEntity, OutboxMessageEntity } from "./schedule.entity";
import { TeamEntity, TeamMembershipEntity } from "./team.entity";
import { TenantEntity } from "./tenant.entity";

export {
  AuditCheckpointEntity,
  AuditEventEntity,
  BoundaryEntity,
  BoundaryFindingEntity,
  CheckInEntity,
  CheckInReminderEntity,
  CheckInScheduleEntity,
  CommentEntity,
  NudgeEntity,
  OutboxMessageEntity,
  OutcomeAgreementEntity,
  OutcomeEntity,
  PersonEntity,
  ReviewEntity,
  TeamEntity,
  TeamMembershipEntity,
  TenantEntity,
};

export const entities = [
  TenantEntity,
  PersonEntity,
  TeamEntity,
  TeamMembershipEntity,
  AuditEventEntity,
  AuditCheckpointEntity,
  OutcomeEntity,
  OutcomeAgreementEntity,
  CheckInEntity,
  CommentEntity,
  NudgeEntity,
  ReviewEntity,
  BoundaryEntity,
  BoundaryFindingEntity,
  CheckInScheduleEntity,
  OutboxMessageEntity,
  CheckInReminderEntity,
];
