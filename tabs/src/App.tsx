import { Button, FluentProvider, Text, makeStyles, mergeClasses, tokens, useFocusFinders } from "@fluentui/react-components";
import { Suspense, lazy, useEffect, useMemo, useState, type ReactNode } from "react";
import { ROLE_ADMIN, ROLE_COMPLIANCE, type Me } from "./api/types";
import { ErrorBoundary } from "./components/ErrorBoundary";
import { EmptyState, Loading } from "./components/States";
import type { ThemeName } from "./host/theme";
import { useRoute, type PageName } from "./hooks/useRoute";
import { MyOutcomesPage } from "./pages/MyOutcomesPage";
import { SessionContext, rememberName, type Session } from "./session";
import { loadTheme, themeIfLoaded } from "./theme";

const OutcomePage = lazy(() => import("./pages/outcome/OutcomePage"));
const NewOutcomePage = lazy(() => import("./pages/outcome/NewOutcomePage"));
const TeamPage = lazy(() => import("./pages/team/TeamPage"));
const ConfigPage = lazy(() => import("./pages/team/ConfigPage"));
const ManagerPage = lazy(() => import("./pages/manager/ManagerPage"));
const AdminPage = lazy(() => import("./pages/admin/AdminPage"));
const CompliancePage = lazy(() => import("./pages/compliance/CompliancePage"));

const useStyles = makeStyles({
  root: { minHeight: "100vh", display: "flex", flexDirection: "column", backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
  header: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  nav: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXS, margin: 0, padding: 0, listStyleType: "none" },
  navLink: {
    display: "block",
    padding: `${tokens.spacingVerticalSNudge} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground2,
    textDecorationLine: "none",
    borderBottom: `${tokens.strokeWidthThick} solid transparent`,
    ":hover": { backgroundColor: tokens.colorSubtleBackgroundHover, color: tokens.colorNeutralForeground1 },
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: "1px" },
  },
  current: { color: tokens.colorNeutralForeground1, fontWeight: tokens.fontWeightSemibold, borderBottomColor: tokens.colorCompoundBrandStroke },
  who: { marginLeft: "auto", display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  main: {
    padding: tokens.spacingHorizontalL,
    flexGrow: 1,
    maxWidth: "80rem",
    width: "100%",
    boxSizing: "border-box",
    // Fluent's type ramp sets the size of headings; spacing comes from each page's grid.
    "& h1, & h2, & h3, & legend": { marginTop: 0, marginBottom: 0 },
    ":focus": { outlineStyle: "none" },
  },
  skip: {
    position: "absolute",
    left: "-10000px",
    ":focus": { left: tokens.spacingHorizontalS, top: tokens.spacingVerticalS, zIndex: 10, padding: tokens.spacingHorizontalS, backgroundColor: tokens.colorNeutralBackground1 },
  },
});

interface NavItem {
  page: PageName;
  label: string;
  allowed: (me: Me) => boolean;
}

const isAdmin = (me: Me) => me.roles.includes(ROLE_ADMIN);
const isCompliance = (me: Me) => me.roles.includes(ROLE_COMPLIANCE);

const NAV: NavItem[] = [
  { page: "my", label: "My outcomes", allowed: () => true },
  { page: "team", label: "Team", allowed: (me) => me.teams.length > 0 || isAdmin(me) || isCompliance(me) },
  { page: "manager", label: "Manager", allowed: (me) => me.directReports.length > 0 },
  { page: "admin", label: "Admin", allowed: isAdmin },
  { page: "compliance", label: "Compliance", allowed: isCompliance },
];

function allowedPage(page: PageName, me: Me): boolean {
  if (page === "config") return NAV[1]!.allowed(me);
  return NAV.find((n) => n.page === page)?.allowed(me) ?? true;
}

function PageFor({ page, id }: { page: PageName; id: string | null }): ReactNode {
  switch (page) {
    case "outcome":
      return id ? <OutcomePage id={id} /> : <MyOutcomesPage />;
    case "new-outcome":
      return <NewOutcomePage />;
    case "team":
      return <TeamPage teamId={id} />;
    case "config":
      return <ConfigPage />;
    case "manager":
      return <ManagerPage />;
    case "admin":
      return <AdminPage />;
    case "compliance":
      return <CompliancePage />;
    default:
      return <MyOutcomesPage />;
  }
}

/**
 * Holds Fluent UI's focus manager (tabster) while the app runs. Otherwise it is disposed with the
 * last component that used it, such as a dialog on a card that the decision removes, and drops its
 * pending removal of the aria-hidden it put on the page for the dialog
 * (https://github.com/microsoft/fluentui/issues/35139).
 */
function KeepFocusManager() {
  useFocusFinders();
  return null;
}

export function App({ session: initial }: { session: Session }) {
  const s = useStyles();
  const route = useRoute();
  const [theme, setTheme] = useState<ThemeName>(initial.theme);
  const [fluentTheme, setFluentTheme] = useState(() => themeIfLoaded(initial.theme) ?? themeIfLoaded("light"));
  const { me, host, tokens: tokenSource } = initial;

  useEffect(() => {
    rememberName(me.id, me.displayName);
    for (const r of me.directReports) rememberName(r.id, r.displayName);
  }, [me]);

  useEffect(() => {
    // Teams tells us when the person switches theme; follow it without a reload.
    host?.onThemeChange((name) => {
      void loadTheme(name).then((t) => {
        setFluentTheme(t);
        setTheme(name);
      });
    });
  }, [host]);

  const session = useMemo(() => ({ ...initial, theme }), [initial, theme]);
  const nav = NAV.filter((n) => n.allowed(me));
  const selected = nav.some((n) => n.page === route.page) ? route.page : route.page === "config" ? "team" : undefined;

  return (
    <SessionContext.Provider value={session}>
      {/* Layout lives on an inner element: FluentProvider copies its own classes to portal mount nodes. */}
      <FluentProvider theme={fluentTheme} data-theme={theme}>
        <KeepFocusManager />
        <div className={s.root}>
          <a
            href="#main"
            className={s.skip}
            onClick={(e) => {
              // The hash is the route: move focus instead of following the link.
              e.preventDefault();
              document.getElementById("main")?.focus();
            }}
          >
            Skip to content
          </a>
          <header className={s.header}>
            <Text className={s.brand}>Leeway</Text>
            <nav aria-label="Pages">
              <ul className={s.nav}>
                {nav.map((n) => (
                  <li key={n.page}>
                    <a href={`#/${n.page}`} className={mergeClasses(s.navLink, n.page === selected && s.current)} aria-current={n.page === selected ? "page" : undefined}>
                      {n.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <div className={s.who}>
              <Text size={200} data-testid="signed-in-as">
                {me.displayName}
              </Text>
              {tokenSource.signOut && (
                <Button size="small" appearance="subtle" onClick={tokenSource.signOut}>
                  Sign out
                </Button>
              )}
            </div>
          </header>
          <main id="main" tabIndex={-1} className={s.main}>
            <ErrorBoundary key={`${route.page}/${route.id ?? ""}`}>
              <Suspense fallback={<Loading />}>
                {allowedPage(route.page, me) ? (
                  <PageFor page={route.page} id={route.id} />
                ) : (
                  <EmptyState title="This page is not available to you">
                    <Text>It needs a role you do not have. Your administrator assigns Leeway roles.</Text>
                  </EmptyState>
                )}
              </Suspense>
            </ErrorBoundary>
          </main>
        </div>
      </FluentProvider>
    </SessionContext.Provider>
  );
}
