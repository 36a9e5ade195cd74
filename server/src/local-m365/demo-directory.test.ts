import { DEMO, demoTenants, directReportsOf, findPerson, findPersonByUpn, findTenant, teamsOf } from "./demo-directory";

const contoso = findTenant(DEMO.contoso.tenantId)!;
const fabrikam = findTenant(DEMO.fabrikam.tenantId)!;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("demo directory", () => {
  it("has the two tenants of the contract", () => {
    expect(contoso).toMatchObject({ id: "c0c0c0c0-0000-4000-8000-000000000001", name: "Contoso", domain: "contoso.test", requireBoundaryApproval: true });
    expect(fabrikam).toMatchObject({ id: "fabf0000-0000-4000-8000-000000000002", name: "Fabrikam", domain: "fabrikam.test", requireBoundaryApproval: false });
  });

  it("keeps the contract's people, roles and manager relations", () => {
    const upn = (id: string) => findPerson(DEMO.contoso.tenantId, id)?.userPrincipalName;
    expect(upn(DEMO.contoso.megan)).toBe("megan.bowen@contoso.test");
    expect(directReportsOf(findPerson(DEMO.contoso.tenantId, DEMO.contoso.megan)!).map((p) => p.id).sort()).toEqual([DEMO.contoso.adele, DEMO.contoso.alex, DEMO.contoso.diego].sort());
    expect(findPersonByUpn("lidia.holloway@contoso.test")?.roles).toEqual(["Leeway.Compliance"]);
    expect(findPersonByUpn("miriam.graham@contoso.test")?.roles).toEqual(["Leeway.Admin"]);
    expect(findPersonByUpn("grady.archie@contoso.test")?.roles).toEqual(["Leeway.Admin"]);
    expect(findPersonByUpn("nestor.wilke@fabrikam.test")).toMatchObject({ roles: ["Leeway.Admin"], tenantId: DEMO.fabrikam.tenantId });
    expect(findPersonByUpn("patti.fernandez@fabrikam.test")?.tenantId).toBe(DEMO.fabrikam.tenantId);
    expect(findPersonByUpn("Megan.Bowen@CONTOSO.test")?.id).toBe(DEMO.contoso.megan);
  });

  it("gives Contoso at least 20 people and 3 teams, and one chain of managers up to a CEO", () => {
    expect(contoso.people.length).toBeGreaterThanOrEqual(20);
    expect(contoso.teams.length).toBeGreaterThanOrEqual(3);
    const tops = contoso.people.filter((p) => p.managerId === null);
    expect(tops.map((p) => p.jobTitle)).toEqual(["Chief Executive Officer"]);
    for (const person of contoso.people) {
      const seen = new Set<string>();
      let current = person;
      while (current.managerId) {
        expect(seen.has(current.id)).toBe(false);
        seen.add(current.id);
        current = findPerson(contoso.id, current.managerId)!;
        expect(current).toBeDefined();
      }
      expect(current.id).toBe(tops[0]?.id);
    }
    const meganChain = [];
    let p = findPerson(contoso.id, DEMO.contoso.megan);
    while (p?.managerId) {
      p = findPerson(contoso.id, p.managerId);
      meganChain.push(p?.jobTitle);
    }
    expect(meganChain.length).toBeGreaterThanOrEqual(2);
  });

  it("puts Megan's team in London, 08:30 to 17:00, Monday to Friday", () => {
    const team = contoso.teams.find((t) => t.id === DEMO.contoso.teams.retailLending)!;
    expect(team).toMatchObject({ name: "Retail Lending", leadId: DEMO.contoso.megan });
    expect(team.memberIds).toEqual(expect.arrayContaining([DEMO.contoso.megan, DEMO.contoso.adele, DEMO.contoso.alex, DEMO.contoso.diego]));
    for (const id of team.memberIds) {
      expect(findPerson(contoso.id, id)).toMatchObject({
        timeZone: "Europe/London",
        workingHours: { daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"], startTime: "08:30:00.0000000", endTime: "17:00:00.0000000", timeZone: { name: "Europe/London" } },
      });
    }
    expect(teamsOf(findPerson(contoso.id, DEMO.contoso.adele)!).map((t) => t.name)).toEqual(["Retail Lending"]);
  });

  it("uses unique, valid UUIDs and team members that exist in the same tenant", () => {
    const ids = demoTenants.flatMap((t) => [t.id, ...t.people.map((p) => p.id), ...t.teams.map((x) => x.id)]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID);
    for (const tenant of demoTenants) {
      for (const team of tenant.teams) {
        for (const member of [team.leadId, ...team.memberIds]) expect(findPerson(tenant.id, member)).toBeDefined();
      }
      for (const person of tenant.people) expect(person.userPrincipalName.endsWith(`@${tenant.domain}`)).toBe(true);
    }
  });

  it("cannot be changed by accident", () => {
    const megan = findPerson(DEMO.contoso.tenantId, DEMO.contoso.megan)!;
    expect(() => megan.roles.push("Leeway.Admin")).toThrow(TypeError);
    expect(findPerson(DEMO.fabrikam.tenantId, DEMO.contoso.megan)).toBeUndefined();
  });
});
