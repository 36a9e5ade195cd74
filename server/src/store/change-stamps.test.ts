import { ChangeStamps } from "./change-stamps";

describe("ChangeStamps", () => {
  it("reads the database once, then trusts the value for a while", async () => {
    const stamps = new ChangeStamps(60_000);
    let reads = 0;
    const read = async () => ++reads * 10;
    expect(await stamps.get("t", read)).toBe(10);
    expect(await stamps.get("t", read)).toBe(10);
    expect(reads).toBe(1);
  });

  it("shows this instance's own commits at once, and never goes back", async () => {
    const stamps = new ChangeStamps(60_000);
    expect(await stamps.get("t", async () => 5)).toBe(5);
    stamps.note("t", 7);
    expect(await stamps.get("t", async () => 5)).toBe(7);
    stamps.note("t", 6);
    expect(await stamps.get("t", async () => 5)).toBe(7);
  });

  it("reads again once the value is older than the limit, so other instances' commits show", async () => {
    const stamps = new ChangeStamps(0);
    let head = 1;
    expect(await stamps.get("t", async () => head)).toBe(1);
    head = 3;
    await new Promise((r) => setTimeout(r, 2));
    expect(await stamps.get("t", async () => head)).toBe(3);
  });

  it("keeps tenants apart", async () => {
    const stamps = new ChangeStamps(60_000);
    stamps.note("a", 9);
    expect(await stamps.get("b", async () => 2)).toBe(2);
  });
});
