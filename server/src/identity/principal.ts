import { ForbiddenError } from "../errors";

export const ROLES = { admin: "Leeway.Admin", compliance: "Leeway.Compliance" } as const;

/** Who is calling, from a validated token. People are tenant id + object id, never an e-mail. */
export interface Principal {
  tenantId: string;
  userId: string;
  name: string;
  username: string | null;
  roles: string[];
  scopes: string[];
  /** The raw access token, kept only to exchange it On-Behalf-Of for a Graph token. */
  assertion: string;
  /** When the token expires (epoch milliseconds). */
  expiresAt: number;
}

export function hasRole(p: Pick<Principal, "roles">, role: string): boolean {
  return p.roles.includes(role);
}

/** App roles of which a caller needs one for an action, and what a caller without them is told. */
export interface RoleGate {
  anyOf: readonly string[];
  refusal: string;
}

/** Throws 403 with the gate's refusal unless the caller holds one of its roles. */
export function requireGate(p: { roles: readonly string[] }, gate: RoleGate): void {
  if (!gate.anyOf.some((role) => p.roles.includes(role))) throw new ForbiddenError(gate.refusal);
}
