import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import JSZip from "jszip";
import { ICON_FILES } from "../../manifests/scripts/icons";
import { buildPackage, defaults, type PackageOptions } from "../../manifests/scripts/package";
import { PackageError } from "../../manifests/scripts/fill";
import { encodePng, readPngInfo } from "../../manifests/scripts/png";

/**
 * `npm run package`: a valid package from the committed dev environment, and each kind of
 * broken input rejected with a message that names the problem and where it is.
 */

let work: string;

beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "leeway-package-"));
  fs.cpSync(defaults.envDir, path.join(work, "env"), { recursive: true });
  fs.cpSync(defaults.iconsDir, path.join(work, "icons"), { recursive: true });
  for (const [name, file] of [["manifest.json", defaults.manifestTemplate], ["addin.xml", defaults.xmlTemplate], ["entra.json", defaults.entraTemplate]]) fs.copyFileSync(file!, path.join(work, name!));
  // A personal .user override on this machine must not change what the tests see.
  for (const f of fs.readdirSync(path.join(work, "env"))) if (f.endsWith(".user")) fs.rmSync(path.join(work, "env", f));
});

afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

const options = (): PackageOptions => ({
  env: "dev",
  envDir: path.join(work, "env"),
  manifestTemplate: path.join(work, "manifest.json"),
  xmlTemplate: path.join(work, "addin.xml"),
  entraTemplate: path.join(work, "entra.json"),
  iconsDir: path.join(work, "icons"),
  outDir: path.join(work, "build"),
});

function edit(file: string, change: (text: string) => string): void {
  const p = path.join(work, file);
  const before = fs.readFileSync(p, "utf8");
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing`);
  fs.writeFileSync(p, after);
}

async function problemsOf(): Promise<string> {
  try {
    await buildPackage(options());
  } catch (err) {
    if (err instanceof PackageError) return err.problems.map((p) => `${p.file} ${p.path}: ${p.message}`).join("\n");
    throw err;
  }
  throw new Error("the package was accepted");
}

describe("a valid package", () => {
  it("zips manifest.json, color.png and outline.png from the dev environment, with the filled XML and app registration beside it", async () => {
    const result = await buildPackage(options());
    expect(path.basename(result.zipFile)).toBe("leeway-dev.zip");
    const zip = await JSZip.loadAsync(fs.readFileSync(result.zipFile));
    expect(Object.keys(zip.files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);

    const manifest = JSON.parse(await zip.file("manifest.json")!.async("string")) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(manifest.manifestVersion).toBe("1.22");
    expect(manifest.validDomains).toEqual(["leeway-dev.azurewebsites.net"]);
    expect(manifest.staticTabs.map((t: { contentUrl: string }) => t.contentUrl)).toEqual(
      ["#/my", "#/manager", "#/admin", "#/compliance"].map((h) => `https://leeway-dev.azurewebsites.net/tabs/index.html${h}`),
    );
    expect(manifest.configurableTabs[0].configurationUrl).toBe("https://leeway-dev.azurewebsites.net/tabs/index.html#/config");
    expect(manifest.webApplicationInfo.nestedAppAuthInfo[0].redirectUri).toBe("brk-multihub://leeway-dev.azurewebsites.net");
    expect(manifest.extensions[0].ribbons.flatMap((r: { contexts: string[] }) => r.contexts)).toEqual(["meetingDetailsOrganizer", "meetingDetailsAttendee"]);
    expect(JSON.stringify(manifest)).not.toContain("${{");

    expect(readPngInfo(Buffer.from(await zip.file("color.png")!.async("uint8array")))).toMatchObject({ width: 192, height: 192 });
    expect(readPngInfo(Buffer.from(await zip.file("outline.png")!.async("uint8array")))).toMatchObject({ width: 32, height: 32, hasAlpha: true });

    const xml = fs.readFileSync(result.xmlFile, "utf8");
    expect(xml).toContain("<Id>6d1c9a2e-4b7f-4e0a-9c55-3f2b8e71d0a4</Id>");
    expect(xml).toContain('DefaultValue="https://leeway-dev.azurewebsites.net/addin/taskpane.html"');
    const entra = JSON.parse(fs.readFileSync(result.entraFile, "utf8")) as { identifierUris: string[]; spa: { redirectUris: string[] } };
    expect(entra.identifierUris).toEqual(["api://leeway-dev.azurewebsites.net/2b7e5f90-8c1d-4d6a-a3e2-9f04c6b1e857"]);
    expect(entra.spa.redirectUris).toContain("brk-multihub://leeway-dev.azurewebsites.net");
  });

  it("builds the local environment too, and a .user file overrides the committed values", async () => {
    fs.writeFileSync(path.join(work, "env", ".env.local.user"), "PUBLIC_HOST=leeway-me.example.test\nDEVELOPER_URL=https://leeway-me.example.test/\n");
    const result = await buildPackage({ ...options(), env: "local" });
    expect(result.manifest.validDomains).toEqual(["leeway-me.example.test"]);
  });
});

describe("rejected packages", () => {
  it("an http:// URL", async () => {
    edit("manifest.json", (t) => t.replace('"https://${{PUBLIC_HOST}}/tabs/index.html#/manager"', '"http://${{PUBLIC_HOST}}/tabs/index.html#/manager"'));
    expect(await problemsOf()).toMatch(/\/staticTabs\/1\/contentUrl: "http:\/\/leeway-dev\.azurewebsites\.net\/tabs\/index\.html#\/manager" must use https/);
  });

  it("a URL whose host is not in validDomains", async () => {
    edit("manifest.json", (t) => t.replace('"https://${{PUBLIC_HOST}}/tabs/index.html#/config"', '"https://elsewhere.example.com/config"'));
    expect(await problemsOf()).toMatch(/\/configurableTabs\/0\/configurationUrl: host "elsewhere\.example\.com" is not in validDomains/);
  });

  it("an icon of the wrong size", async () => {
    fs.writeFileSync(path.join(work, "icons", "color.png"), encodePng(96, 96, new Uint8Array(96 * 96 * 4)));
    expect(await problemsOf()).toMatch(/\/icons\/color: icon color\.png is 96x96, expected 192x192/);
  });

  it("an add-in ribbon icon whose file has another size than its declared size", async () => {
    fs.writeFileSync(path.join(work, "icons", "addin-80.png"), encodePng(64, 64, new Uint8Array(64 * 64 * 4)));
    const problems = await problemsOf();
    expect(problems).toMatch(/groups\/0\/icons\/2: icon addin-80\.png is 64x64, expected 80x80/);
    expect(problems).toMatch(/Resources\/Images\/Image\[@id=Icon\.80\]: icon addin-80\.png is 64x64/);
  });

  it("a duplicate static tab id", async () => {
    edit("manifest.json", (t) => t.replace('"entityId": "admin"', '"entityId": "manager"'));
    expect(await problemsOf()).toMatch(/\/staticTabs\/2\/entityId: duplicate tab id "manager" \(also at \/staticTabs\/1\/entityId\)/);
  });

  it("a duplicate ribbon control id", async () => {
    edit("manifest.json", (t) => t.replace('"id": "LeewayAttendeeButton"', '"id": "LeewayOrganizerButton"'));
    expect(await problemsOf()).toMatch(/duplicate ribbon control id "LeewayOrganizerButton"/);
  });

  it("a schema violation, with its JSON path", async () => {
    edit("env/.env.dev", (t) => t.replace("APP_SHORT_NAME=Leeway (dev)", "APP_SHORT_NAME=Leeway for the development tenant of Contoso"));
    expect(await problemsOf()).toMatch(/\/name\/short: schema: must NOT have more than 30 characters/);
  });

  it("a property the schema does not know", async () => {
    edit("manifest.json", (t) => t.replace('"showLoadingIndicator": true,', '"showLoadingIndicator": true,\n  "loadingIndicator": true,'));
    expect(await problemsOf()).toMatch(/schema: must NOT have additional properties \("loadingIndicator"\)/);
  });

  it("a version that is not semantic", async () => {
    edit("env/.env.dev", (t) => t.replace("APP_VERSION=1.0.0", "APP_VERSION=1.0"));
    expect(await problemsOf()).toMatch(/\/version: "1\.0" is not a semantic version/);
  });

  it("a variable the environment does not define", async () => {
    edit("env/.env.dev", (t) => t.replace(/^PUBLIC_HOST=.*\n/m, ""));
    expect(await problemsOf()).toMatch(/manifest\.json line \d+: \$\{\{PUBLIC_HOST\}\} has no value in the environment file/);
  });

  it("a variable no template uses (a misspelt name)", async () => {
    fs.appendFileSync(path.join(work, "env", ".env.dev"), "PUBLIC_HOTS=leeway.example.com\n");
    expect(await problemsOf()).toMatch(/\.env\.dev PUBLIC_HOTS: defined but used by no template/);
  });

  it("an environment that does not exist", async () => {
    await expect(buildPackage({ ...options(), env: "prod" })).rejects.toThrow(/\.env\.prod: no such environment file \(known environments: dev, local\)/);
  });

  it("broken XML, with its line", async () => {
    edit("addin.xml", (t) => t.replace("</ProviderName>", "</Provider>"));
    expect(await problemsOf()).toMatch(/addin\.xml line \d+, column \d+: not well-formed XML/);
  });

  it("an XML manifest without the attendee command surface", async () => {
    edit("addin.xml", (t) => t.replace(/\s*<ExtensionPoint xsi:type="AppointmentAttendeeCommandSurface">[\s\S]*?<\/ExtensionPoint>/, ""));
    expect(await problemsOf()).toMatch(/ExtensionPoint\[@xsi:type=AppointmentAttendeeCommandSurface\]: the AppointmentAttendeeCommandSurface command surface is missing/);
  });

  it("an XML manifest whose task pane differs from the unified manifest's", async () => {
    edit("addin.xml", (t) => t.replace('<bt:Url id="Taskpane.Url" DefaultValue="https://${{PUBLIC_HOST}}/addin/taskpane.html"/>', '<bt:Url id="Taskpane.Url" DefaultValue="https://${{PUBLIC_HOST}}/addin/other.html"/>'));
    expect(await problemsOf()).toMatch(/Urls\/Url\[@id=Taskpane\.Url\]: "https:\/\/leeway-dev\.azurewebsites\.net\/addin\/other\.html" differs from the unified manifest's task pane/);
  });

  it("an XML manifest with an http icon and a missing Id", async () => {
    edit("addin.xml", (t) => t.replace('<IconUrl DefaultValue="https://', '<IconUrl DefaultValue="http://').replace("<Id>${{APP_ID}}</Id>", "<Id></Id>"));
    const problems = await problemsOf();
    expect(problems).toMatch(/OfficeApp\/Id: must be a GUID/);
    expect(problems).toMatch(/OfficeApp\/IconUrl\/@DefaultValue: "http:\/\/leeway-dev\.azurewebsites\.net\/icons\/addin-64\.png" must use https/);
  });
});

describe("icons", () => {
  it("every committed icon has the size the manifests need, and the outline icon is transparent", () => {
    for (const [name, { size }] of Object.entries(ICON_FILES)) {
      const info = readPngInfo(fs.readFileSync(path.join(defaults.iconsDir, name)));
      expect({ name, width: info.width, height: info.height }).toEqual({ name, width: size, height: size });
    }
    expect(readPngInfo(fs.readFileSync(path.join(defaults.iconsDir, "outline.png"))).hasAlpha).toBe(true);
  });

  it("the committed icons are what the drawing script makes", () => {
    for (const [name, { size, draw }] of Object.entries(ICON_FILES)) expect({ name, same: draw(size).equals(fs.readFileSync(path.join(defaults.iconsDir, name))) }).toEqual({ name, same: true });
  });

  it("readPngInfo refuses bytes that are not a PNG", () => {
    expect(() => readPngInfo(Buffer.from("GIF89a and more bytes to be long enough"))).toThrow(/not a PNG/);
  });
});
