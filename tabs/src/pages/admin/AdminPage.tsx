export default function AdminPage(_props: Record<string, unknown>) { return <div>AdminPage</div>; }
