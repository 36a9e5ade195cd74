// Outcomes, agreements, check-ins, nudges and reviews.
import type { ApiClient, ApiResponse, Query } from "./client";
import type {
  AddedComment, CheckIn, NewCheckIn, NewOutcome, NewReview, Nudge, Outcome, OutcomeChange, Page, RecordedCheckIn, Review, SentNudge,
} from "./types";

export interface CheckInList {
  items: CheckIn[];
  coachingQuestions: { key: string; text: string }[];
}

/** The what of one version, as proposed. */
export type ProposedWhat = NonNullable<Outcome["agreement"]["agreedWhat"]>;

/** One version of the what in the agreement history: who proposed it, and what became of it. */
export interface AgreementStep {
  version: number;
  kind: "create" | "change" | "drop";
  what: ProposedWhat;
  proposedBy: string;
  proposedAs: "owner" | "manager";
  /** The proposer's reason. */
  reason: string | null;
  state: "pending" | "agreed" | "superseded" | "withdrawn" | "declined";
  ownerAcceptedAt: string | null;
  managerAcceptedAt: string | null;
  createdAt: string;
  decidedAt: string | null;
  /** Who withdrew, declined, completed the agreement or superseded it; null on older rows. */
  decidedBy: string | null;
  /** The reason given when withdrawing or declining. */
  decisionReason: string | null;
}

const path = (id: string) => `/outcomes/${encodeURIComponent(id)}`;

export class OutcomesApi {
  constructor(private readonly c: ApiClient) {}

  list(query: Query = {}, signal?: AbortSignal): Promise<Page<Outcome>> {
    return this.c.get<Page<Outcome>>("/outcomes", { limit: 100, ...query }, signal);
  }

  /** Follows the cursor up to `max` outcomes (the dashboards show a team at a glance, not an archive). */
  async listAll(query: Query = {}, signal?: AbortSignal, max = 400): Promise<Outcome[]> {
    const out: Outcome[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<Outcome> = await this.c.get<Page<Outcome>>("/outcomes", { limit: 200, ...query, cursor }, signal);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && out.length < max);
    return out;
  }

  /**
   * The outcomes these people own that the caller may see, read person by person: a list of
   * everything visible would let other people's outcomes crowd theirs out of its first pages.
   */
  async ownedBy(ownerIds: readonly string[], signal?: AbortSignal): Promise<Outcome[]> {
    const lists = await Promise.all(ownerIds.map((ownerId) => this.listAll({ ownerId }, signal)));
    return lists.flat();
  }

  get(id: string, signal?: AbortSignal): Promise<ApiResponse<Outcome>> {
    return this.c.request<Outcome>("GET", path(id), { signal });
  }

  create(body: NewOutcome): Promise<ApiResponse<Outcome>> {
    return this.c.request<Outcome>("POST", "/outcomes", { body });
  }

  update(id: string, etag: string, change: OutcomeChange): Promise<ApiResponse<Outcome>> {
    return this.c.request<Outcome>("PATCH", path(id), { body: change, ifMatch: etag });
  }

  agree(id: string, version: number): Promise<ApiResponse<Outcome>> {
    return this.c.request<Outcome>("POST", `${path(id)}/agreement`, { body: { version } });
  }

  /** Takes back the change on the table: the proposer withdraws it, the other side declines it. */
  withdraw(id: string, version: number, reason?: string): Promise<ApiResponse<Outcome>> {
    return this.c.request<Outcome>("POST", `${path(id)}/agreement/withdraw`, { body: reason ? { version, reason } : { version } });
  }

  /** Approves the outcome's risk class as of the version read (compliance or an admin who is not a party to it). */
  approveRisk(id: string, version: number, note?: string): Promise<ApiResponse<Outcome>> {
    return this.c.request<Outcome>("POST", `${path(id)}/approval`, { body: note ? { version, note } : { version } });
  }

  async history(id: string, signal?: AbortSignal): Promise<AgreementStep[]> {
    return (await this.c.get<{ items: AgreementStep[] }>(`${path(id)}/agreement`, undefined, signal)).items;
  }

  drop(id: string, reason: string): Promise<ApiResponse<Outcome>> {
    return this.c.request<Outcome>("POST", `${path(id)}/drop`, { body: { reason } });
  }

  checkIns(id: string, signal?: AbortSignal): Promise<CheckInList> {
    return this.c.get<CheckInList>(`${path(id)}/check-ins`, undefined, signal);
  }

  recordCheckIn(id: string, body: NewCheckIn): Promise<RecordedCheckIn> {
    return this.c.post<RecordedCheckIn>(`${path(id)}/check-ins`, body);
  }

  comment(checkInId: string, text: string, kind?: "coaching" | "directive"): Promise<AddedComment> {
    return this.c.post(`/check-ins/${encodeURIComponent(checkInId)}/comments`, kind ? { text, kind } : { text });
  }

  async nudges(id: string, signal?: AbortSignal): Promise<Nudge[]> {
    return (await this.c.get<{ items: Nudge[] }>(`${path(id)}/nudges`, undefined, signal)).items;
  }

  nudge(id: string, message?: string): Promise<SentNudge> {
    return this.c.post<SentNudge>(`${path(id)}/nudges`, message ? { message } : {});
  }

  async reviews(id: string, signal?: AbortSignal): Promise<Review[]> {
    return (await this.c.get<{ items: Review[] }>(`${path(id)}/reviews`, undefined, signal)).items;
  }

  review(id: string, body: NewReview): Promise<Review> {
    return this.c.post<Review>(`${path(id)}/reviews`, body);
  }
}
