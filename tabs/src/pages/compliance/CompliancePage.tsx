export default function CompliancePage(_props: Record<string, unknown>) { return <div>CompliancePage</div>; }
