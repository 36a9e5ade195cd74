import { ianaZoneOf, paneZoneOf, windowsZoneOf } from "./time-zones";

describe("Outlook's time zone names", () => {
  it("turns the Windows name Outlook reports for the user into a zone the pane can calculate in", () => {
    // Outlook on Windows and on the web report the profile's zone the Windows way.
    const zone = paneZoneOf("Pacific Standard Time");
    expect(zone).toBe("America/Los_Angeles");
    expect(() => new Intl.DateTimeFormat("en", { timeZone: zone! })).not.toThrow();
    expect(paneZoneOf("korea standard time")).toBe("Asia/Seoul");
    expect(paneZoneOf("Europe/Berlin")).toBe("Europe/Berlin");
    expect(paneZoneOf("Nowhere Standard Time")).toBeNull();
    expect(paneZoneOf("  ")).toBeNull();
    expect(paneZoneOf(null)).toBeNull();
  });

  it("knows every zone of the CLDR table both ways, not only a few", () => {
    expect(ianaZoneOf("Sri Lanka Standard Time")).toBe("Asia/Colombo");
    expect(windowsZoneOf("Asia/Colombo")).toBe("Sri Lanka Standard Time");
    expect(windowsZoneOf("Asia/Calcutta")).toBe("India Standard Time");
    expect(windowsZoneOf("America/Argentina/Buenos_Aires")).toBe("Argentina Standard Time");
    expect(windowsZoneOf("Europe/Kyiv")).toBe("FLE Standard Time");
    expect(windowsZoneOf("Not/AZone")).toBeNull();
  });
});
