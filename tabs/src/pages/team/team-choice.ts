export const TEAM_KEY = "leeway.team";

/** The team a dashboard shows: from the route (a channel tab's URL), else the last choice, else my first team. */
export function chosenTeam(routeId: string | null, myTeams: { id: string }[]): string | null {
  return routeId ?? sessionStorage.getItem(TEAM_KEY) ?? myTeams[0]?.id ?? null;
}
