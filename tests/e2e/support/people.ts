// The demo people the browser tests act as (fixed in the local tenant's directory).
export const ADELE = "adele.vance@contoso.test";
export const MEGAN = "megan.bowen@contoso.test";
export const LIDIA = "lidia.holloway@contoso.test";
export const MIRIAM = "miriam.graham@contoso.test";
export const GRADY = "grady.archie@contoso.test";

export const ADELE_ID = "c0c0c0c0-1000-4000-8000-000000000005";
export const RETAIL_LENDING = "c0c0c0c0-2000-4000-8000-000000000001";

export interface OutcomeLike {
  id: string;
  version: number;
  status: string;
}

/** An outcome body for Adele in Retail Lending; the title makes each test's outcome its own. */
export function adeleOutcome(title: string) {
  const deadline = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  return {
    title,
    ownerId: ADELE_ID,
    teamId: RETAIL_LENDING,
    measure: { metric: "Applications decided within five days", unit: "%", baseline: 40, target: 80 },
    deadline,
    ifMissed: "We look at the intake process together and agree a new date.",
    visibility: "team",
    approach: { plan: "Pre-check documents on arrival", tools: ["Loan desk"], schedule: "Mornings" },
  };
}
