import fs from "node:fs";
import path from "node:path";
import JSZip from "jszip";
import { checkManifestRules, validateAgainstSchema } from "./check-manifest";
import { checkOutlookXml, factsOf } from "./check-xml";
import { fillTemplate, jsonString, loadEnvironment, PackageError, rel, unusedVariables, xmlText, type Problem } from "./fill";

/**
 * `npm run package -- --env <name>`: fills the unified manifest, the Outlook XML manifest and
 * the Entra app registration from manifests/env/.env.<name>, checks them offline, and writes
 * manifests/build/leeway-<name>.zip (manifest.json, color.png, outline.png) with the filled XML
 * and app registration beside it.
 */

const MANIFESTS = path.resolve(__dirname, "..");
const REPO = path.resolve(MANIFESTS, "..");

export interface PackageOptions {
  env: string;
  envDir?: string;
  manifestTemplate?: string;
  xmlTemplate?: string;
  entraTemplate?: string;
  iconsDir?: string;
  schemaFile?: string;
  outDir?: string;
}

export interface PackageResult {
  zipFile: string;
  xmlFile: string;
  entraFile: string;
  manifest: Record<string, unknown>;
}

export const defaults = {
  envDir: path.join(MANIFESTS, "env"),
  manifestTemplate: path.join(MANIFESTS, "manifest.template.json"),
  xmlTemplate: path.join(MANIFESTS, "outlook-addin.template.xml"),
  entraTemplate: path.join(REPO, "infra", "entra", "app-registration.json"),
  iconsDir: path.join(MANIFESTS, "icons"),
  schemaFile: path.join(MANIFESTS, "schema", "MicrosoftTeams.v1.22.schema.json"),
  outDir: path.join(MANIFESTS, "build"),
};

function parseJson(text: string, file: string): { value?: Record<string, unknown>; problems: Problem[] } {
  try {
    return { value: JSON.parse(text) as Record<string, unknown>, problems: [] };
  } catch (err) {
    return { problems: [{ file, path: "/", message: `not valid JSON after filling: ${err instanceof Error ? err.message : String(err)}` }] };
  }
}

/** Fills, checks and writes the package; throws PackageError listing every problem found. */
export async function buildPackage(options: PackageOptions): Promise<PackageResult> {
  const o = { ...defaults, ...options };
  const vars = loadEnvironment(o.envDir, o.env);
  const used = new Set<string>();
  const manifestName = rel(o.manifestTemplate);
  const xmlName = rel(o.xmlTemplate);
  const entraName = rel(o.entraTemplate);

  const filledManifest = fillTemplate(fs.readFileSync(o.manifestTemplate, "utf8"), vars, manifestName, jsonString, used);
  const filledXml = fillTemplate(fs.readFileSync(o.xmlTemplate, "utf8"), vars, xmlName, xmlText, used);
  const filledEntra = fillTemplate(fs.readFileSync(o.entraTemplate, "utf8"), vars, entraName, jsonString, used);
  const problems = [...filledManifest.problems, ...filledXml.problems, ...filledEntra.problems, ...unusedVariables(vars, used, rel(path.join(o.envDir, `.env.${o.env}`)))];
  if (problems.length) throw new PackageError(problems);

  const manifest = parseJson(filledManifest.text, manifestName);
  const entra = parseJson(filledEntra.text, entraName);
  problems.push(...manifest.problems, ...entra.problems);
  if (manifest.value) {
    problems.push(...validateAgainstSchema(manifest.value, o.schemaFile, manifestName));
    problems.push(...checkManifestRules(manifest.value, o.iconsDir, manifestName));
    problems.push(...checkOutlookXml(filledXml.text, factsOf(manifest.value), o.iconsDir, xmlName));
  }
  if (problems.length || !manifest.value) throw new PackageError(problems);

  const icons = manifest.value.icons as { color: string; outline: string };
  const zip = new JSZip();
  zip.file("manifest.json", `${JSON.stringify(manifest.value, null, 2)}\n`);
  zip.file(icons.color, fs.readFileSync(path.join(o.iconsDir, icons.color)));
  zip.file(icons.outline, fs.readFileSync(path.join(o.iconsDir, icons.outline)));
  fs.mkdirSync(o.outDir, { recursive: true });
  const zipFile = path.join(o.outDir, `leeway-${o.env}.zip`);
  const xmlFile = path.join(o.outDir, `leeway-${o.env}-outlook.xml`);
  const entraFile = path.join(o.outDir, `entra-app-${o.env}.json`);
  fs.writeFileSync(zipFile, await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }));
  fs.writeFileSync(xmlFile, filledXml.text);
  fs.writeFileSync(entraFile, filledEntra.text);
  return { zipFile, xmlFile, entraFile, manifest: manifest.value };
}

function envArgument(argv: string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--env") return argv[i + 1] ?? null;
    if (a.startsWith("--env=")) return a.slice("--env=".length);
  }
  return null;
}

async function main(): Promise<void> {
  const env = envArgument(process.argv.slice(2));
  if (!env) {
    process.stderr.write("usage: npm run package -- --env <name>   (reads manifests/env/.env.<name>)\n");
    process.exit(2);
  }
  try {
    const result = await buildPackage({ env });
    process.stdout.write(
      [
        `Manifest valid against the Teams v1.22 schema and Leeway's checks (HTTPS, validDomains, icons, ids).`,
        `Outlook XML manifest parsed and checked offline (Microsoft's online validator was not run).`,
        `  ${rel(result.zipFile)}`,
        `  ${rel(result.xmlFile)}`,
        `  ${rel(result.entraFile)}`,
        "",
      ].join("\n"),
    );
  } catch (err) {
    if (err instanceof PackageError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

if (require.main === module) void main();
