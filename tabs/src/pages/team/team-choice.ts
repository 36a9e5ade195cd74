export const TEAM_KEY = "leeway.team";

/** The team a dashboard shows: from the route (a channel tab's URL), else the last choice, else my first team. */
export function chosenTeam(routeId: string | null, myTeams: { id: string }[]): string | null {
  // A choice made by someone else who signed in to this window, or a team left since, does not count.
  const stored = sessionStorage.getItem(TEAM_KEY);
  const mine = stored && myTeams.some((t) => t.id === stored) ? stored : null;
  return routeId ?? mine ?? myTeams[0]?.id ?? null;
}
