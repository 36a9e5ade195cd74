import { useSession } from "../session";
import { useResource } from "./useResource";

export interface TeamChoice {
  id: string;
  name: string;
}

/**
 * The teams the signed-in person may act on beyond their own: for admins and compliance every
 * team of the organisation, for managers their people's teams too (the server's list of team
 * dashboards the caller may read). The person's own teams show until it arrives, or if it fails.
 */
export function useTeams(): { teams: TeamChoice[]; nameOf: (id: string) => string } {
  const { api, me } = useSession();
  const all = useResource((signal) => api.dashboards.teams(signal), [api]);
  const teams: TeamChoice[] = me.teams.map((t) => ({ id: t.id, name: t.name }));
  for (const t of all.data ?? []) if (!teams.some((x) => x.id === t.id)) teams.push({ id: t.id, name: t.name });
  return { teams, nameOf: (id) => teams.find((t) => t.id === id)?.name ?? id };
}
