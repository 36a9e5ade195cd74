import { Title2, makeStyles, tokens } from "@fluentui/react-components";
import { ApprovalsQueue } from "../admin/ApprovalsQueue";
import { AuditSearch } from "./AuditSearch";
import { ExportPanel } from "./ExportPanel";
import { FindingsPanel } from "./FindingsPanel";
import { RiskApprovals } from "./RiskApprovals";
import { VerifyPanel } from "./VerifyPanel";

const useStyles = makeStyles({
  page: { display: "grid", gap: tokens.spacingVerticalXXL },
});

/** Compliance officers: the audit trail (search, detail, export, verification), violations, boundary approvals and risk-class approvals. */
export default function CompliancePage() {
  const s = useStyles();
  return (
    <div className={s.page} data-testid="compliance-page">
      <Title2 as="h1">Compliance</Title2>
      <VerifyPanel />
      <AuditSearch />
      <ExportPanel />
      <FindingsPanel />
      <ApprovalsQueue />
      <RiskApprovals />
    </div>
  );
}
