import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { verifyExport } from "./verify-export";

/**
 * `npm run audit:verify -- <export.jsonl> --public-key <file> [--public-key <file> ...]`: checks an
 * exported audit trail offline. After a signing-key rotation, give the old public key too: older
 * checkpoints carry it. Exit code 0 when it verifies, 1 when it does not (naming the first bad
 * line), 2 on usage errors.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { "public-key": { type: "string", multiple: true }, json: { type: "boolean" } }, allowPositionals: true });
  const file = positionals[0];
  const keyFiles = values["public-key"] ?? [];
  if (!file || keyFiles.length === 0) {
    process.stderr.write("usage: npm run audit:verify -- <export.jsonl> --public-key <public-key.pem> [--public-key <older-key.pem> ...] [--json]\n");
    return 2;
  }
  // npm runs a script from the project's folder; names are meant from where the command was typed.
  const typedIn = process.env.INIT_CWD ?? process.cwd();
  const at = (name: string) => path.resolve(typedIn, name);
  const publicKeys = keyFiles.map((keyFile) => {
    const text = fs.readFileSync(at(keyFile), "utf8");
    return text.trimStart().startsWith("{") ? (JSON.parse(text) as { publicKeyPem: string }).publicKeyPem : text;
  });
  const report = await verifyExport(fs.createReadStream(at(file)), publicKeys);
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else if (report.ok) process.stdout.write(`OK: ${report.events} events of tenant ${report.tenantId} verified; ${report.checkpoints} signed checkpoints; head ${report.headHash}\n`);
  else process.stdout.write(`NOT VERIFIED: line ${report.badLine}${report.firstBadSeq !== undefined ? ` (sequence ${report.firstBadSeq})` : ""}: ${report.problem}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
