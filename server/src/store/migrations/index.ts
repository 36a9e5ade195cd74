import { Spine1764300000000 } from "./1764300000000-spine";
import { Accountability1764400000000 } from "./1764400000000-accountability";
import { Schedules1764500000000 } from "./1764500000000-schedules";
import { AuditHead1764600000000 } from "./1764600000000-audit-head";
import { NudgeRetention1764700000000 } from "./1764700000000-nudge-retention";
import { AgreementDecisions1764800000000 } from "./1764800000000-agreement-decisions";
import { CheckInFacts1764900000000 } from "./1764900000000-check-in-facts";

/** Every migration, oldest first. Committed, run at start and by `npm run migration:run`. */
export const migrations = [Spine1764300000000, Accountability1764400000000, Schedules1764500000000, AuditHead1764600000000, NudgeRetention1764700000000, AgreementDecisions1764800000000, CheckInFacts1764900000000];
