import { AuditCheckpointEntity, AuditEventEntity } from "./audit.entity";
import { PersonEntity } from "./person.entity";
import { TeamEntity, TeamMembershipEntity } from "./team.entity";
import { TenantEntity } from "./tenant.entity";

export { AuditCheckpointEntity, AuditEventEntity, PersonEntity, TeamEntity, TeamMembershipEntity, TenantEntity };

export const entities = [TenantEntity, PersonEntity, TeamEntity, TeamMembershipEntity, AuditEventEntity, AuditCheckpointEntity];
