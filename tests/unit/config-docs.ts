import fs from "node:fs";
import path from "node:path";

/** The variables config.ts reads and the ones the README documents, read from their sources. */

const ROOT = path.resolve(__dirname, "..", "..");

/** The keys of the `env` object schema in config.ts, read from its source. */
export function configVariables(): string[] {
  const source = fs.readFileSync(path.join(ROOT, "server/src/config.ts"), "utf8");
  const start = source.indexOf("const env = z.object({");
  if (start < 0) throw new Error("config.ts no longer declares `const env = z.object({`");
  let depth = 0;
  let end = -1;
  for (let i = source.indexOf("{", start); i < source.length; i++) {
    if (source[i] === "{") depth++;
    else if (source[i] === "}" && --depth === 0) {
      end = i;
      break;
    }
  }
  const body = source.slice(start, end);
  return [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]!);
}

/** The first column of the README table under "## Configuration". */
export function readmeTableVariables(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Configuration"));
  const table = section.slice(0, section.indexOf("\n## ", 3));
  return [...table.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]!);
}
