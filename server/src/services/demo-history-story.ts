// The demo organisation's past: what each team set out to achieve and how the weeks went. Plain
// data; demo-history.ts turns it into rows. Times are relative to the moment the server seeds:
// `w` counts weeks back (week 1 is the latest week whose Monday-to-Thursday meetings are over),
// `d` is the weekday (0 Monday ... 6 Sunday) and `t` the local time of the person acting.
// Deadlines are days from today. Nothing here may look like an account or card number: the
// demo's own content boundary forbids that in free text.

import { DEMO } from "../local-m365/demo-directory";
import type { Approach, CauseCategory, CheckInStatus, CommentKind, Visibility } from "../domain/types";

export interface Moment {
  w: number;
  d?: number;
  t?: string;
}

export interface CommentSpec {
  kind: CommentKind;
  text: string;
  /** Defaults to the owner's manager. */
  by?: string;
}

export interface CheckInSpec extends Moment {
  p: number;
  s?: CheckInStatus;
  c?: number;
  note?: string;
  blockers?: string;
  support?: string;
  next?: string;
  ideas?: string[];
  mode?: "meeting" | "async";
  comments?: CommentSpec[];
}

export interface NudgeSpec extends Moment {
  kind: "reminder" | "nudge";
  /** A person, or absent for the system. */
  by?: string;
  message: string;
}

export interface OutcomeSpec {
  n: number;
  owner: string;
  team: string;
  title: string;
  metric: string;
  unit: string;
  baseline: number;
  target: number;
  deadline: number;
  ifMissed: string;
  visibility: Visibility;
  approach: Approach;
  /** Weeks ago (Monday), or an exact moment. */
  created: Moment | { daysAgo: number };
  /** Who put it on the table first; the owner unless said otherwise. */
  proposedBy?: "owner" | "manager";
  /** Days after creation that the other side accepted; absent while still proposed (or a draft). */
  agreedAfter?: number;
  draft?: boolean;
  missed?: boolean;
  checkIns?: CheckInSpec[];
  nudges?: NudgeSpec[];
  change?: { at: Moment | { daysAgo: number }; by: "owner" | "manager"; target?: number; deadline?: number; reason: string; agreedAfter?: number };
  review?: { daysAgo: number; whatBlocked: string; whatCouldImprove: string; supportNeeded: string; causes: CauseCategory[]; actions: { description: string; owner: string; dueInDays: number }[] };
}

export interface TenantStory {
  tenantId: string;
  /** Usual check-in weekday per team; teams missing here keep Monday. */
  teamDay: Record<string, number>;
  biweeklyTeams: string[];
  outcomes: OutcomeSpec[];
}

/** Check-ins every `step` weeks from `from` weeks ago, one progress value each; `extra` adds to the check-in of a given week. */
export function series(from: number, progress: number[], extra: Record<number, Partial<CheckInSpec>> = {}, step = 1): CheckInSpec[] {
  return progress.map((p, i) => {
    const w = from - i * step;
    return { w, p, ...extra[w] };
  });
}

const C = DEMO.contoso;
const T = C.teams;
const F = DEMO.fabrikam;
const coach = (text: string, by?: string): CommentSpec[] => [{ kind: "coaching", text, ...(by ? { by } : {}) }];
const direct = (text: string): CommentSpec[] => [{ kind: "directive", text }];

const retailLending: OutcomeSpec[] = [
  {
    n: 1, owner: C.adele, team: T.retailLending, title: "Cut mortgage decision time", metric: "Median days from application to decision", unit: "days",
    baseline: 12, target: 7, deadline: 45, visibility: "team", created: { w: 13 }, agreedAfter: 1,
    ifMissed: "We keep the fast lane, review the triage rules with Credit Risk and agree a new date with Megan.",
    approach: { plan: "Pre-fill income checks from open-banking data and send simple cases through a fast lane.", tools: ["Power BI", "Open-banking feed"], schedule: "Fast-lane pilot first, then every branch." },
    checkIns: series(12, [11.8, 11.4, 11, 10.6, 10.9, 11.1, 10.2, 9.6, 9.3, 9, 8.8, 8.5], {
      11: { ideas: ["Accept payslips already verified through the open-banking feed"] },
      8: { s: "at_risk", blockers: "Two underwriters off sick; the queue grew again.", support: "One more underwriter for two weeks.", note: "Fast lane paused while we catch up.",
        comments: coach("What would help most while the queue is long? I can ask Ben whether a branch underwriter could join you.") },
      7: { s: "at_risk", note: "Queue still above plan; borrowed help starts next week." },
      6: { note: "Borrowed underwriter on board, fast lane running again.", ideas: ["Share underwriters across branches during peaks"],
        comments: coach("Good recovery. What did the pause teach you that we should keep?") },
      3: { comments: coach("How are brokers reacting to the fast lane?") },
      2: { ideas: ["Send brokers a checklist before they submit a case"] },
    }),
    change: { at: { daysAgo: 2 }, by: "manager", target: 6, reason: "Group Risk now benchmarks lenders against a six-day median; I would like us to aim for six." },
  },
  {
    n: 2, owner: C.alex, team: T.retailLending, title: "Move fixed-rate switches online", metric: "Rate switches completed online", unit: "%",
    baseline: 20, target: 60, deadline: 24, visibility: "team", created: { w: 13 }, agreedAfter: 2,
    ifMissed: "Branches keep handling switches by phone while we fix the journey; Megan and I re-plan the launch.",
    approach: { plan: "Launch the online switch journey, then nudge customers before their fixed rate ends.", tools: ["Digital banking app", "Customer messaging"] },
    checkIns: [
      ...series(12, [20, 22, 25, 27, 30, 33, 35, 37], { 9: { ideas: ["Let customers e-sign the switch offer"] } }),
      { w: 4, p: 37, s: "at_risk", c: 2, blockers: "The release slot for the new journey slipped.", support: "A change slot before month end.",
        comments: coach("What do you need from me to get the slot back? I can join the change board call.") },
      { w: 3, d: 0, p: 41, note: "Journey live on Monday.", comments: direct("Send me the switch numbers every other day until the launch settles.") },
      { w: 3, d: 2, p: 44, mode: "async", note: "Drop-off mostly at the affordability step.", ideas: ["Show the new rate next to the current one"],
        comments: direct("Update me again on Friday with the drop-off rate.") },
      { w: 3, d: 4, p: 46, mode: "async", note: "Drop-off down after copy changes." },
      { w: 2, p: 50, comments: coach("What are customers telling you about the new journey?") },
      { w: 1, p: 53, ideas: ["Text customers ninety days before their fixed rate ends"] },
    ],
    nudges: [{ w: 3, d: 3, t: "16:10", kind: "nudge", by: C.megan, message: "Friday numbers, please." }],
  },
  {
    n: 3, owner: C.diego, team: T.retailLending, title: "Bring personal-loan arrears down", metric: "Personal loans 30+ days in arrears", unit: "cases",
    baseline: 420, target: 350, deadline: 38, visibility: "team", created: { w: 13 }, agreedAfter: 1,
    ifMissed: "Collections and Credit Risk review the forbearance options together and we reset the target with the risk committee.",
    approach: { plan: "Call customers at the first missed payment and offer tailored payment plans.", tools: ["Collections dialler"] },
    checkIns: series(12, [420, 412, 405, 398, 392, 388, 385, 383, 386, 391, 396, 402], {
      10: { ideas: ["Offer short payment holidays in the app"] },
      4: { s: "at_risk", c: 2, note: "Cost-of-living pressure: new cases outpace cures." },
      3: { s: "at_risk", c: 2, note: "Dialler campaign delayed.", comments: direct("Send me the recovery plan by Friday.") },
      2: { s: "at_risk", c: 2, note: "Still more new cases than cures." },
      1: { s: "off_track", c: 1, note: "Worse again this week.", comments: direct("Please make sure the collections plan is in my inbox before the risk committee.") },
    }),
    nudges: [{ w: 2, d: 4, t: "15:30", kind: "nudge", by: C.megan, message: "Still waiting for the recovery plan." }],
  },
  {
    n: 4, owner: C.adele, team: T.retailLending, title: "Sign branch loan paperwork digitally", metric: "Loan files signed digitally", unit: "%",
    baseline: 35, target: 80, deadline: 52, visibility: "team", created: { w: 10 }, agreedAfter: 1,
    ifMissed: "Branches keep paper signing for another quarter and we look again at the e-signature rollout with Megan.",
    approach: { plan: "Branch workshops, new templates, e-signature for every new loan file.", tools: ["E-signature service"] },
    checkIns: series(9, [35, 41, 47, 52, 55, 55, 55, 55, 55], {
      6: { ideas: ["Pre-fill the e-signature pack from the application"] },
      5: { c: 3, note: "Ran two more branch workshops." },
      4: { c: 3, note: "Templates redrafted with Legal." },
      3: { c: 3, note: "Met the e-signature vendor again." },
      2: { c: 3, note: "Named a champion in every branch.", comments: coach("The number has held at 55 for a few weeks. What do you think is keeping it there?") },
      1: { c: 3, note: "Champions trained." },
    }),
  },
  {
    n: 5, owner: C.diego, team: T.retailLending, title: "Refresh the affordability model for personal loans", metric: "Validation sign-off steps completed", unit: "steps",
    baseline: 0, target: 5, deadline: -20, visibility: "team", created: { w: 13 }, agreedAfter: 2, missed: true,
    ifMissed: "The current model stays in use with a manual overlay until validation completes; we agree a new date with Model Risk.",
    approach: { plan: "Rebuild on the last two years of data and take each validation step in turn." },
    checkIns: series(12, [0, 1, 1, 2, 2, 3, 3, 4, 4], {
      6: { s: "at_risk", c: 2, blockers: "No model validator free until next month.", support: "A model validator for two weeks.",
        comments: coach("What would unblock validation? I can ask Pradeep whether a validator can be freed up.") },
      5: { s: "at_risk", c: 2, blockers: "The data extract from the loan system failed.", support: "Validator time and a clean data extract.",
        comments: coach("Shall we ask Miriam's team for a fresh extract together?") },
      4: { s: "off_track", c: 1, note: "Step four done, but the last validation slot is six weeks out.", support: "A validation slot before the deadline." },
    }),
    review: {
      daysAgo: 14,
      whatBlocked: "The model validation queue was six weeks long, and the data extract from the loan system failed twice.",
      whatCouldImprove: "Book validation slots when an outcome like this is agreed, and agree the data extract with Technology up front.",
      supportNeeded: "A standing model-validation slot each quarter.",
      causes: ["system", "process"],
      actions: [
        { description: "Agree a quarterly model-validation slot with Risk", owner: C.megan, dueInDays: 14 },
        { description: "Automate the loan data extract and add a completeness check", owner: C.grady, dueInDays: 30 },
        { description: "Add validation lead times to the lending planning template", owner: C.diego, dueInDays: 10 },
      ],
    },
  },
  {
    n: 6, owner: C.alex, team: T.retailLending, title: "Clear the mortgage valuation backlog", metric: "Valuations waiting more than 5 days", unit: "cases",
    baseline: 140, target: 20, deadline: -10, visibility: "public", created: { w: 13 }, agreedAfter: 1,
    ifMissed: "We bring in a second valuation panel for a month.",
    approach: { plan: "Use desktop valuations where the loan-to-value allows; weekly call with the panel firms." },
    checkIns: series(12, [140, 128, 115, 101, 88, 74, 60, 45, 31, 18], {
      8: { ideas: ["Desktop valuations for low loan-to-value remortgages"] },
      4: { comments: coach("Great pace. What will stop the backlog from coming back?") },
      3: { s: "done", c: 5, note: "Backlog cleared; panel firms now book within three days." },
    }),
  },
  {
    n: 7, owner: C.adele, team: T.retailLending, title: "Publish the new personal-loan pricing sheet", metric: "Pricing sheet approval steps completed", unit: "steps",
    baseline: 0, target: 4, deadline: -5, visibility: "team", created: { w: 8 }, agreedAfter: 1,
    ifMissed: "The current pricing stays for one more month and we tell the branches.",
    approach: { plan: "Draft with Finance, then pricing committee, Compliance and publication." },
    checkIns: [...series(7, [0, 1]), ...series(4, [2, 3]), { w: 2, p: 4, s: "done", c: 5, note: "Published to branches and brokers." }],
    nudges: [
      { w: 5, d: 3, t: "09:00", kind: "reminder", message: "Your weekly check-in on this outcome is due." },
      { w: 3, d: 0, t: "11:20", kind: "nudge", by: C.megan, message: "The pricing committee meets on Thursday; is the sheet ready for it?" },
    ],
  },
  {
    n: 8, owner: C.diego, team: T.retailLending, title: "Cut personal-loan fraud write-offs", metric: "Monthly fraud write-offs", unit: "GBP thousand",
    baseline: 85, target: 60, deadline: 80, visibility: "team", created: { daysAgo: 3 },
    ifMissed: "We review the fraud rules with Financial Crime and decide together whether to tighten onboarding.",
    approach: { plan: "Add device checks at application and share cases with the Financial Crime team weekly." },
  },
  {
    n: 9, owner: C.alex, team: T.retailLending, title: "Improve the remortgage experience", metric: "Customer satisfaction", unit: "score",
    baseline: 0, target: 0, deadline: 60, visibility: "team", created: { daysAgo: 5 }, draft: true, ifMissed: "",
    approach: { plan: "Talk to customers who remortgaged elsewhere." },
  },
];

const otherContosoTeams: OutcomeSpec[] = [
  {
    n: 10, owner: C.lee, team: T.paymentsOperations, title: "Move SEPA Instant payments to the new gateway", metric: "SEPA Instant volume on the new gateway", unit: "%",
    baseline: 0, target: 100, deadline: 30, visibility: "public", created: { w: 13 }, proposedBy: "manager", agreedAfter: 2,
    ifMissed: "We keep both gateways running and agree a new cut-over date with the scheme.",
    approach: { plan: "Mirror traffic first, then move corridors one by one.", tools: ["Gateway dashboards"] },
    checkIns: series(12, [0, 5, 10, 18, 25, 33, 40, 48, 56, 63, 71, 78], {
      7: { ideas: ["Mirror live traffic for a week before each cut-over"] },
      6: { comments: coach("Which corridor worries you most, and how can I help with it?") },
    }),
  },
  {
    n: 11, owner: C.joni, team: T.paymentsOperations, title: "Cut failed outbound payments", metric: "Failed outbound payments per week", unit: "payments",
    baseline: 180, target: 90, deadline: 26, visibility: "team", created: { w: 13 }, agreedAfter: 1,
    ifMissed: "We publish the top failure reasons to the business and fix them in the next release.",
    approach: { plan: "Validate beneficiary details before release; fix the top five failure codes." },
    checkIns: series(12, [180, 171, 160, 152, 146, 149, 150, 138, 126, 117, 108, 101], {
      7: { s: "at_risk", c: 2, blockers: "The card scheme change freeze blocks our release.", support: "A release slot straight after the freeze.",
        comments: coach("What can I do to get you a slot sooner? I can talk to the release manager.") },
      6: { s: "at_risk", c: 3 },
      5: { note: "Validation release went out after the freeze.", ideas: ["Check beneficiary names before the cut-off, not after"] },
      4: { comments: direct("Report the failure codes by Friday.") },
    }),
    change: { at: { w: 6, d: 0 }, by: "owner", deadline: 40, reason: "The card scheme freeze moved our release by two weeks.", agreedAfter: 1 },
  },
  {
    n: 12, owner: C.lynne, team: T.paymentsOperations, title: "Reconcile US dollar nostro breaks within a day", metric: "Breaks reconciled within a day", unit: "%",
    baseline: 72, target: 95, deadline: -15, visibility: "team", created: { w: 13 }, agreedAfter: 1,
    ifMissed: "We add a second reconciliation run in the New York afternoon.",
    approach: { plan: "Automatic matching rules for the ten most common break types." },
    checkIns: series(12, [72, 75, 79, 83, 86, 90, 93, 96], { 5: { s: "done", c: 5, note: "Matching rules live for every common break type." } }),
  },
  {
    n: 13, owner: C.enrico, team: T.paymentsOperations, title: "Close aged reconciliation breaks", metric: "Breaks older than 30 days", unit: "breaks",
    baseline: 310, target: 50, deadline: 20, visibility: "team", created: { w: 13 }, agreedAfter: 1,
    ifMissed: "We escalate the oldest breaks to Finance for write-off decisions.",
    approach: { plan: "Oldest first; a daily half hour with the Milan team." },
    checkIns: [...series(12, [310, 290, 262, 240]), ...series(7, [200, 181, 160, 140, 118, 97, 80])],
    nudges: [{ w: 8, d: 3, t: "09:00", kind: "reminder", message: "Your weekly check-in on this outcome is due." }],
  },
  {
    n: 14, owner: C.allan, team: T.riskAndCompliance, title: "Clear the transaction-monitoring alert backlog", metric: "Open alerts older than 10 days", unit: "alerts",
    baseline: 2400, target: 500, deadline: 35, visibility: "private", created: { w: 14, d: 3 }, proposedBy: "manager", agreedAfter: 1,
    ifMissed: "We tell the regulator about the backlog and bring in investigators from the Dublin pool.",
    approach: { plan: "Auto-close duplicate alerts and tune the three noisiest scenarios.", tools: ["Case manager"] },
    checkIns: series(13, [2400, 2150, 1900, 1720, 1460, 1210, 990], {
      9: { ideas: ["Group alerts by customer before review"], comments: coach("Would it help if I joined the scenario tuning session?") },
      3: { ideas: ["Share tuned thresholds with the Payments team"] },
    }, 2),
  },
  {
    n: 15, owner: C.emily, team: T.riskAndCompliance, title: "Map important business services for operational resilience", metric: "Important business services mapped", unit: "services",
    baseline: 0, target: 12, deadline: 50, visibility: "team", created: { w: 14, d: 3 }, agreedAfter: 2,
    ifMissed: "We report the gap to the board risk committee with a recovery plan.",
    approach: { plan: "Workshops with each service owner; map people, processes, technology and third parties." },
    checkIns: series(13, [0, 2, 3, 5, 6, 8, 9], { 7: { ideas: ["Reuse the payments mapping as the template"] }, 5: { comments: coach("What do the service owners need from you before their workshop?") } }, 2),
  },
  {
    n: 16, owner: C.irvin, team: T.riskAndCompliance, title: "Back-test the credit risk appetite limits", metric: "Portfolios back-tested", unit: "portfolios",
    baseline: 0, target: 8, deadline: -8, visibility: "team", created: { w: 14, d: 3 }, agreedAfter: 1,
    ifMissed: "Limits stay as they are for another quarter, with a note to the risk committee.",
    approach: { plan: "Two portfolios per fortnight, the largest first." },
    checkIns: series(13, [0, 2, 4, 6, 7, 8], { 3: { s: "done", c: 5, note: "All eight portfolios back-tested; results with the committee." } }, 2),
  },
  {
    n: 17, owner: C.debra, team: T.riskAndCompliance, title: "Train branch staff on the consumer duty", metric: "Branch staff trained", unit: "%",
    baseline: 40, target: 95, deadline: 28, visibility: "public", created: { w: 14, d: 2 }, agreedAfter: 1,
    ifMissed: "Untrained staff take the e-learning before the next branch audit.",
    approach: { plan: "Short sessions in team meetings, then e-learning for the rest." },
    checkIns: series(13, [40, 48, 57, 66, 74, 81, 88], { 9: { ideas: ["Record one session for part-time staff"] } }, 2),
  },
  {
    n: 18, owner: C.grady, team: T.technologyPlatform, title: "Roll Leeway out to every Contoso team", metric: "People using Leeway weekly", unit: "people",
    baseline: 0, target: 21, deadline: 21, visibility: "public", created: { w: 13 }, agreedAfter: 1,
    ifMissed: "We pause the rollout and ask the remaining teams what is in their way.",
    approach: { plan: "Team by team, starting with Retail Lending; office hours every Thursday.", tools: ["Teams", "Outlook"] },
    checkIns: series(12, [0, 2, 4, 5, 7, 9, 11, 12, 14, 16, 17, 19], {
      10: { ideas: ["Show each team its own dashboard in the first session"] },
      4: { comments: coach("Which team is hardest to reach, and how can I help?", C.miriam) },
    }),
  },
  {
    n: 19, owner: C.christie, team: T.executiveLeadership, title: "Raise retail customer satisfaction", metric: "Retail net promoter score", unit: "points",
    baseline: 18, target: 30, deadline: 70, visibility: "public", created: { w: 13 }, agreedAfter: 3,
    ifMissed: "We present the customer feedback themes to the board and agree what to change next.",
    approach: { plan: "Fix the three journeys customers complain about most." },
    checkIns: series(12, [18, 19, 21, 22, 24, 25], { 8: { ideas: ["Invite complaining customers to test the new journeys"] } }, 2),
  },
];

const fabrikam: OutcomeSpec[] = [
  {
    n: 1, owner: F.mona, team: F.teams.fieldOperations, title: "Cut repeat visits for boiler installs", metric: "Installs needing a repeat visit", unit: "%",
    baseline: 14, target: 6, deadline: 30, visibility: "team", created: { w: 9 }, agreedAfter: 1,
    ifMissed: "We add a second check before crews leave a site.",
    approach: { plan: "A photo checklist before leaving every install." },
    checkIns: series(8, [14, 13, 12, 11, 10, 9.5, 9, 8], { 5: { ideas: ["Carry the most common spare parts on every van"] } }),
  },
  {
    n: 2, owner: F.kai, team: F.teams.fieldOperations, title: "Dispatch a crew within two hours of a call", metric: "Calls dispatched within two hours", unit: "%",
    baseline: 61, target: 85, deadline: 45, visibility: "team", created: { w: 9 }, agreedAfter: 2,
    ifMissed: "We keep a standby crew in each region for the busy season.",
    approach: { plan: "Route calls to the nearest free crew automatically." },
    checkIns: series(8, [61, 63, 66, 69, 71, 74, 76, 78], { 4: { comments: coach("What would make dispatching easier on Mondays?") } }),
  },
];

export const STORIES: TenantStory[] = [
  {
    tenantId: C.tenantId,
    teamDay: { [T.retailLending]: 1, [T.paymentsOperations]: 2, [T.riskAndCompliance]: 3, [T.technologyPlatform]: 2, [T.executiveLeadership]: 0 },
    biweeklyTeams: [T.riskAndCompliance],
    outcomes: [...retailLending, ...otherContosoTeams],
  },
  { tenantId: F.tenantId, teamDay: { [F.teams.fieldOperations]: 3 }, biweeklyTeams: [], outcomes: fabrikam },
];
