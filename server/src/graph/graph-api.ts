import type { WorkingHours } from "../store/entities/person.entity";

/** Whose rights a Graph call uses: the signed-in user's (On-Behalf-Of) or the app's own. */
export interface GraphCaller {
  tenantId: string;
  /** The user's access token to our API; present for delegated calls, absent for background work. */
  userAssertion?: string;
}

export interface GraphUser {
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string | null;
  jobTitle: string | null;
  department: string | null;
}

export interface MailboxSettings {
  timeZone: string;
  workingHours: WorkingHours | null;
}

/** The small part of Microsoft Graph that Leeway uses. One implementation for real Graph and the local tenant. */
export interface GraphApi {
  getUser(caller: GraphCaller, userId: string): Promise<GraphUser>;
  /** null when the person has no manager. */
  getManager(caller: GraphCaller, userId: string): Promise<GraphUser | null>;
  getMailboxSettings(caller: GraphCaller, userId: string): Promise<MailboxSettings>;
}

export class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
