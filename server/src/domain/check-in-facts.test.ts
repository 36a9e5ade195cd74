import { checkInFacts } from "./check-in-facts";

describe("checkInFacts", () => {
  it("counts ideas with words in them and tells whether support was asked for", () => {
    expect(checkInFacts({ ideas: ["Share underwriters", "  ", "", "Pre-fill the pack"], supportNeeded: "An extra reviewer" })).toEqual({ ideasCount: 2, supportAsked: true });
  });

  it("takes blank or missing text as nothing said", () => {
    expect(checkInFacts({ ideas: null, supportNeeded: " \n " })).toEqual({ ideasCount: 0, supportAsked: false });
    expect(checkInFacts({})).toEqual({ ideasCount: 0, supportAsked: false });
  });
});
