export default function ManagerPage(_props: Record<string, unknown>) { return <div>ManagerPage</div>; }
