// teams-js SSO (authentication.getAuthToken): the fallback inside Teams when the host does not
// offer Nested App Authentication. Teams caches and renews the token itself.
import type { TeamsHost } from "../host/teams";
import { accountFromToken, type SignedInAccount, type TokenSource } from "./token";

export function teamsSsoTokenSource(host: TeamsHost): TokenSource {
  let account: SignedInAccount | null = null;
  return {
    kind: "teams-sso",
    account: () => account,
    async getToken() {
      const token = await host.teams.authentication.getAuthToken();
      account = accountFromToken(token) ?? account;
      return token;
    },
    signOut: null,
  };
}
