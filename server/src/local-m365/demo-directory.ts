// The seeded demo organisations of the local tenant. Every id here is fixed forever: tests,
// screenshots and stored demo data refer to them, so never renumber an entry; add new people
// with new numbers instead.

/** Working hours in the shape Microsoft Graph's mailboxSettings.workingHours uses. */
export interface WorkingHours {
  daysOfWeek: string[];
  startTime: string; // "08:30:00.0000000"
  endTime: string;
  timeZone: { name: string };
}

export interface DemoPerson {
  id: string; // Entra object id (oid)
  tenantId: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  jobTitle: string;
  department: string;
  officeLocation?: string;
  managerId: string | null;
  roles: string[]; // app roles of the Leeway API assigned to this person
  timeZone: string; // IANA name, as mailboxSettings.timeZone reports it
  workingHours: WorkingHours;
  /**
   * Who sees this person's free/busy: everyone in the organisation (Exchange's default), or, when
   * the person has set their calendar's default permission to none, nobody signed in. Apps with
   * application permission see it either way.
   */
  freeBusy: "organization" | "none";
}

export interface DemoTeam {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  leadId: string;
  memberIds: string[];
}

export interface DemoTenant {
  id: string;
  name: string;
  domain: string;
  requireBoundaryApproval: boolean;
  people: DemoPerson[];
  teams: DemoTeam[];
}

const CONTOSO_TID = "c0c0c0c0-0000-4000-8000-000000000001";
const FABRIKAM_TID = "fabf0000-0000-4000-8000-000000000002";

const contosoOid = (n: number): string => `c0c0c0c0-1000-4000-8000-${n.toString().padStart(12, "0")}`;
const contosoTeamId = (n: number): string => `c0c0c0c0-2000-4000-8000-${n.toString().padStart(12, "0")}`;
const fabrikamOid = (n: number): string => `fabf0000-1000-4000-8000-${n.toString().padStart(12, "0")}`;
const fabrikamTeamId = (n: number): string => `fabf0000-2000-4000-8000-${n.toString().padStart(12, "0")}`;

/** Ids of the people and teams that tests and demos name. */
export const DEMO = {
  contoso: {
    tenantId: CONTOSO_TID,
    domain: "contoso.test",
    isaiah: contosoOid(1),
    henrietta: contosoOid(2),
    christie: contosoOid(3),
    megan: contosoOid(4),
    adele: contosoOid(5),
    alex: contosoOid(6),
    diego: contosoOid(7),
    lidia: contosoOid(8),
    miriam: contosoOid(9),
    grady: contosoOid(10),
    pradeep: contosoOid(11),
    johanna: contosoOid(12),
    lee: contosoOid(13),
    joni: contosoOid(14),
    lynne: contosoOid(15),
    enrico: contosoOid(16),
    debra: contosoOid(17),
    irvin: contosoOid(18),
    allan: contosoOid(19),
    emily: contosoOid(20),
    ben: contosoOid(21),
    /** Object id of the Leeway app's service principal, the `oid` of app-only tokens. */
    servicePrincipal: "c0c0c0c0-5000-4000-8000-000000000001",
    teams: {
      retailLending: contosoTeamId(1),
      paymentsOperations: contosoTeamId(2),
      riskAndCompliance: contosoTeamId(3),
      technologyPlatform: contosoTeamId(4),
      executiveLeadership: contosoTeamId(5),
    },
  },
  fabrikam: {
    tenantId: FABRIKAM_TID,
    domain: "fabrikam.test",
    nestor: fabrikamOid(1),
    patti: fabrikamOid(2),
    mona: fabrikamOid(3),
    kai: fabrikamOid(4),
    servicePrincipal: "fabf0000-5000-4000-8000-000000000001",
    teams: {
      fieldOperations: fabrikamTeamId(1),
    },
  },
} as const;

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"];

function hours(timeZone: string, start: string, end: string, days: string[] = WEEKDAYS): WorkingHours {
  return {
    daysOfWeek: [...days],
    startTime: `${start}:00.0000000`,
    endTime: `${end}:00.0000000`,
    timeZone: { name: timeZone },
  };
}

interface PersonRow {
  id: string;
  upn: string; // local part; the tenant's domain is appended
  given: string;
  surname: string;
  jobTitle: string;
  department: string;
  office: string;
  managerId: string | null;
  roles?: string[];
  timeZone: string;
  hours: [string, string, string[]?];
  /** Set when the person keeps their free/busy from colleagues. */
  freeBusy?: "none";
}

function person(tenantId: string, domain: string, row: PersonRow): DemoPerson {
  const upn = `${row.upn}@${domain}`;
  const [start, end, days] = row.hours;
  return {
    id: row.id,
    tenantId,
    userPrincipalName: upn,
    displayName: `${row.given} ${row.surname}`,
    givenName: row.given,
    surname: row.surname,
    mail: upn,
    jobTitle: row.jobTitle,
    department: row.department,
    officeLocation: row.office,
    managerId: row.managerId,
    roles: [...(row.roles ?? [])],
    timeZone: row.timeZone,
    workingHours: hours(row.timeZone, start, end, days),
    freeBusy: row.freeBusy ?? "organization",
  };
}

const C = DEMO.contoso;
const LONDON = "Europe/London";

const contosoRows: PersonRow[] = [
  { id: C.isaiah, upn: "isaiah.langer", given: "Isaiah", surname: "Langer", jobTitle: "Chief Executive Officer", department: "Executive Office", office: "London", managerId: null, timeZone: LONDON, hours: ["08:00", "18:00"] },
  { id: C.henrietta, upn: "henrietta.mueller", given: "Henrietta", surname: "Mueller", jobTitle: "Chief Operating Officer", department: "Operations", office: "London", managerId: C.isaiah, timeZone: LONDON, hours: ["08:00", "17:00"] },
  { id: C.christie, upn: "christie.cline", given: "Christie", surname: "Cline", jobTitle: "Director of Retail Banking", department: "Retail Banking", office: "London", managerId: C.henrietta, timeZone: LONDON, hours: ["08:30", "17:00"] },
  { id: C.megan, upn: "megan.bowen", given: "Megan", surname: "Bowen", jobTitle: "Head of Retail Lending", department: "Retail Lending", office: "London", managerId: C.christie, timeZone: LONDON, hours: ["08:30", "17:00"] },
  { id: C.adele, upn: "adele.vance", given: "Adele", surname: "Vance", jobTitle: "Lending Analyst", department: "Retail Lending", office: "London", managerId: C.megan, timeZone: LONDON, hours: ["08:30", "17:00"] },
  { id: C.alex, upn: "alex.wilber", given: "Alex", surname: "Wilber", jobTitle: "Mortgage Specialist", department: "Retail Lending", office: "London", managerId: C.megan, timeZone: LONDON, hours: ["08:30", "17:00"] },
  { id: C.diego, upn: "diego.siciliani", given: "Diego", surname: "Siciliani", jobTitle: "Credit Risk Analyst", department: "Retail Lending", office: "London", managerId: C.megan, timeZone: LONDON, hours: ["08:30", "17:00"] },
  { id: C.lidia, upn: "lidia.holloway", given: "Lidia", surname: "Holloway", jobTitle: "Head of Compliance", department: "Risk & Compliance", office: "London", managerId: C.pradeep, roles: ["Leeway.Compliance"], timeZone: LONDON, hours: ["09:00", "17:30"] },
  { id: C.miriam, upn: "miriam.graham", given: "Miriam", surname: "Graham", jobTitle: "Director of Technology Platform", department: "Technology", office: "Edinburgh", managerId: C.henrietta, roles: ["Leeway.Admin"], timeZone: LONDON, hours: ["08:00", "16:30"] },
  { id: C.grady, upn: "grady.archie", given: "Grady", surname: "Archie", jobTitle: "Platform Administrator", department: "Technology", office: "Edinburgh", managerId: C.miriam, roles: ["Leeway.Admin"], timeZone: LONDON, hours: ["10:00", "18:30", ["tuesday", "wednesday", "thursday", "friday", "saturday"]] },
  { id: C.pradeep, upn: "pradeep.gupta", given: "Pradeep", surname: "Gupta", jobTitle: "Chief Risk Officer", department: "Risk & Compliance", office: "London", managerId: C.isaiah, timeZone: LONDON, hours: ["08:30", "17:30"] },
  { id: C.johanna, upn: "johanna.lorenz", given: "Johanna", surname: "Lorenz", jobTitle: "Head of Payments Operations", department: "Payments Operations", office: "Frankfurt", managerId: C.henrietta, timeZone: "Europe/Berlin", hours: ["08:00", "16:30"] },
  { id: C.lee, upn: "lee.gu", given: "Lee", surname: "Gu", jobTitle: "Payments Engineer", department: "Payments Operations", office: "Frankfurt", managerId: C.johanna, timeZone: "Europe/Berlin", hours: ["07:30", "16:00", ["monday", "tuesday", "wednesday", "thursday"]] },
  { id: C.joni, upn: "joni.sherman", given: "Joni", surname: "Sherman", jobTitle: "Payments Analyst", department: "Payments Operations", office: "London", managerId: C.johanna, timeZone: LONDON, hours: ["09:00", "17:30"] },
  { id: C.lynne, upn: "lynne.robbins", given: "Lynne", surname: "Robbins", jobTitle: "Payments Operations Specialist", department: "Payments Operations", office: "New York", managerId: C.johanna, timeZone: "America/New_York", hours: ["09:00", "17:30"] },
  { id: C.enrico, upn: "enrico.cattaneo", given: "Enrico", surname: "Cattaneo", jobTitle: "Reconciliation Lead", department: "Payments Operations", office: "Milan", managerId: C.johanna, timeZone: "Europe/Rome", hours: ["09:00", "18:00"] },
  { id: C.debra, upn: "debra.berger", given: "Debra", surname: "Berger", jobTitle: "Compliance Officer", department: "Risk & Compliance", office: "London", managerId: C.lidia, timeZone: LONDON, hours: ["08:00", "16:00", ["monday", "tuesday", "wednesday", "thursday"]] },
  { id: C.irvin, upn: "irvin.sayers", given: "Irvin", surname: "Sayers", jobTitle: "Risk Analyst", department: "Risk & Compliance", office: "London", managerId: C.pradeep, timeZone: LONDON, hours: ["09:00", "17:30"] },
  { id: C.allan, upn: "allan.deyoung", given: "Allan", surname: "Deyoung", jobTitle: "Financial Crime Investigator", department: "Risk & Compliance", office: "Dublin", managerId: C.lidia, timeZone: "Europe/Dublin", hours: ["09:00", "17:30"] },
  { id: C.emily, upn: "emily.braun", given: "Emily", surname: "Braun", jobTitle: "Operational Risk Manager", department: "Risk & Compliance", office: "London", managerId: C.pradeep, timeZone: LONDON, hours: ["08:30", "17:00"] },
  { id: C.ben, upn: "ben.walters", given: "Ben", surname: "Walters", jobTitle: "Branch Network Manager", department: "Retail Banking", office: "Manchester", managerId: C.christie, timeZone: LONDON, hours: ["08:00", "16:30"] },
];

const F = DEMO.fabrikam;
const LA = "America/Los_Angeles";

const fabrikamRows: PersonRow[] = [
  { id: F.nestor, upn: "nestor.wilke", given: "Nestor", surname: "Wilke", jobTitle: "Chief Operating Officer", department: "Operations", office: "Seattle", managerId: null, roles: ["Leeway.Admin"], timeZone: LA, hours: ["08:00", "17:00"] },
  { id: F.patti, upn: "patti.fernandez", given: "Patti", surname: "Fernandez", jobTitle: "Field Operations Lead", department: "Field Operations", office: "Seattle", managerId: F.nestor, timeZone: LA, hours: ["08:00", "16:30"] },
  { id: F.mona, upn: "mona.kane", given: "Mona", surname: "Kane", jobTitle: "Field Technician", department: "Field Operations", office: "Portland", managerId: F.patti, timeZone: LA, hours: ["07:00", "15:30"] },
  { id: F.kai, upn: "kai.carter", given: "Kai", surname: "Carter", jobTitle: "Dispatch Coordinator", department: "Field Operations", office: "Denver", managerId: F.patti, timeZone: "America/Denver", hours: ["08:00", "16:30"], freeBusy: "none" },
];

function team(tenantId: string, id: string, name: string, description: string, leadId: string, memberIds: string[]): DemoTeam {
  return { id, tenantId, name, description, leadId, memberIds };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const demoTenants: readonly DemoTenant[] = deepFreeze([
  {
    id: CONTOSO_TID,
    name: "Contoso",
    domain: "contoso.test",
    requireBoundaryApproval: true,
    people: contosoRows.map((row) => person(CONTOSO_TID, "contoso.test", row)),
    teams: [
      team(CONTOSO_TID, C.teams.retailLending, "Retail Lending", "Personal loans and mortgages for retail customers.", C.megan, [C.megan, C.adele, C.alex, C.diego]),
      team(CONTOSO_TID, C.teams.paymentsOperations, "Payments Operations", "Domestic and cross-border payments, reconciliation and cut-off times.", C.johanna, [C.johanna, C.lee, C.joni, C.lynne, C.enrico]),
      team(CONTOSO_TID, C.teams.riskAndCompliance, "Risk & Compliance", "Second line of defence: regulatory compliance, financial crime and operational risk.", C.pradeep, [C.pradeep, C.lidia, C.debra, C.irvin, C.allan, C.emily]),
      team(CONTOSO_TID, C.teams.technologyPlatform, "Technology Platform", "Runs the bank's collaboration and workplace platforms, Leeway included.", C.miriam, [C.miriam, C.grady]),
      team(CONTOSO_TID, C.teams.executiveLeadership, "Executive Leadership", "The executive committee.", C.isaiah, [C.isaiah, C.henrietta, C.pradeep, C.christie, C.miriam]),
    ],
  },
  {
    id: FABRIKAM_TID,
    name: "Fabrikam",
    domain: "fabrikam.test",
    requireBoundaryApproval: false,
    people: fabrikamRows.map((row) => person(FABRIKAM_TID, "fabrikam.test", row)),
    teams: [team(FABRIKAM_TID, F.teams.fieldOperations, "Field Operations", "Installation and maintenance crews.", F.patti, [F.patti, F.mona, F.kai])],
  },
]);

/** A tenant by id (case-insensitive) or by its domain name, as Entra accepts either in a URL. */
export function findTenant(id: string): DemoTenant | undefined {
  const key = id.toLowerCase();
  return demoTenants.find((t) => t.id === key || t.domain === key);
}

/** A person of the tenant by object id, UPN or mail address (case-insensitive). */
export function findPerson(tenantId: string, id: string): DemoPerson | undefined {
  const key = id.toLowerCase();
  return findTenant(tenantId)?.people.find((p) => p.id === key || p.userPrincipalName.toLowerCase() === key || p.mail.toLowerCase() === key);
}

export function findPersonByUpn(upn: string): DemoPerson | undefined {
  const key = upn.toLowerCase();
  for (const t of demoTenants) {
    const hit = t.people.find((p) => p.userPrincipalName.toLowerCase() === key);
    if (hit) return hit;
  }
  return undefined;
}

/** Teams of a tenant that list the person as a member. */
export function teamsOf(person: DemoPerson): DemoTeam[] {
  return findTenant(person.tenantId)?.teams.filter((t) => t.memberIds.includes(person.id)) ?? [];
}

/** People whose manager is the given person. */
export function directReportsOf(person: DemoPerson): DemoPerson[] {
  return findTenant(person.tenantId)?.people.filter((p) => p.managerId === person.id) ?? [];
}
