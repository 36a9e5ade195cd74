import fs from "node:fs";
import path from "node:path";

/** One thing wrong with a package: the file, where in it (JSON pointer or XML path), and what. */
export interface Problem {
  file: string;
  path: string;
  message: string;
}

export class PackageError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`The app package is not valid:\n${problems.map((p) => `  - ${p.file}${p.path ? ` ${p.path}` : ""}: ${p.message}`).join("\n")}`);
  }
}

const NAME = /^[A-Z][A-Z0-9_]*$/;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Parses KEY=VALUE lines (blank lines and # comments ignored, optional surrounding quotes). */
export function parseEnvFile(text: string, file: string): { vars: Map<string, string>; problems: Problem[] } {
  const vars = new Map<string, string>();
  const problems: Problem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const key = eq > 0 ? line.slice(0, eq).trim() : "";
    if (!NAME.test(key)) {
      problems.push({ file, path: `line ${i + 1}`, message: `expected NAME=value with an upper-case NAME, got "${line}"` });
      return;
    }
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    vars.set(key, value);
  });
  return { vars, problems };
}

/**
 * The variables of one environment: `.env.<name>` (committed, non-secret), overridden by
 * `.env.<name>.user` (git-ignored) when it exists.
 */
export function loadEnvironment(envDir: string, name: string): Map<string, string> {
  if (!/^[a-z0-9][a-z0-9_-]*$/i.test(name)) throw new PackageError([{ file: envDir, path: "", message: `"${name}" is not an environment name` }]);
  const base = path.join(envDir, `.env.${name}`);
  if (!fs.existsSync(base)) {
    const known = fs.existsSync(envDir) ? fs.readdirSync(envDir).filter((f) => /^\.env\.[^.]+$/.test(f)).map((f) => f.slice(5)) : [];
    throw new PackageError([{ file: rel(base), path: "", message: `no such environment file (known environments: ${known.join(", ") || "none"})` }]);
  }
  const vars = new Map<string, string>();
  const problems: Problem[] = [];
  for (const file of [base, `${base}.user`]) {
    if (!fs.existsSync(file)) continue;
    const parsed = parseEnvFile(fs.readFileSync(file, "utf8"), rel(file));
    problems.push(...parsed.problems);
    for (const [k, v] of parsed.vars) vars.set(k, v);
  }
  if (problems.length) throw new PackageError(problems);
  return vars;
}

export type Escape = (value: string) => string;

export const jsonString: Escape = (v) => JSON.stringify(v).slice(1, -1);
export const xmlText: Escape = (v) => v.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

/**
 * Replaces every `${{NAME}}` with the environment's value. A placeholder with no value, or an
 * empty value, is an error naming the template line; `used` collects the names that were filled.
 */
export function fillTemplate(text: string, vars: Map<string, string>, file: string, escape: Escape, used: Set<string>): { text: string; problems: Problem[] } {
  const problems: Problem[] = [];
  const lines = text.split("\n");
  const filled = lines.map((line, i) =>
    line.replace(PLACEHOLDER, (whole, name: string) => {
      used.add(name);
      const value = vars.get(name);
      if (value === undefined || value === "") {
        problems.push({ file, path: `line ${i + 1}`, message: `\${{${name}}} has no value in the environment file` });
        return whole;
      }
      return escape(value);
    }),
  );
  return { text: filled.join("\n"), problems };
}

/** Variables an environment defines that no template uses: usually a typo of a real name. */
export function unusedVariables(vars: Map<string, string>, used: Set<string>, envFile: string): Problem[] {
  return [...vars.keys()].filter((k) => !used.has(k)).map((k) => ({ file: envFile, path: k, message: "defined but used by no template (a misspelt name?)" }));
}

/** A path relative to the repository root, for messages. */
export function rel(file: string): string {
  return path.relative(path.resolve(__dirname, "..", ".."), file) || file;
}
