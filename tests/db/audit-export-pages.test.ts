import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import request from "supertest";
import { DEMO } from "../../server/src/local-m365/demo-directory";
import { AuditChain } from "../../server/src/store/audit-chain";
import { AuditRepository } from "../../server/src/store/repositories/audit.repository";
import { CONTOSO, startTestServer, type TestServer } from "../support/harness";

const run = promisify(execFile);

// The exports read the chain in pages (5000 events for JSONL, 2000 rows for CSV). The chain built
// here runs past two pages of the one and six of the other, with signed checkpoints on both sides
// of each JSONL page boundary.
const PAGE_EDGES = [5000, 10_000];
const LAST_BEFORE_EXPORT = 12_499;

type Line = { type: string; seq?: number; hash?: string };

describe("audit exports of a chain many pages long", () => {
  let s: TestServer;
  let lidia: string;
  let keyFile: string;

  beforeAll(async () => {
    s = await startTestServer({ LEEWAY_DEMO_HISTORY: "false", LEEWAY_HOUSEKEEPING: "false", LEEWAY_REMINDER_INTERVAL_SECONDS: "0" });
    lidia = await s.token("lidia.holloway@contoso.test");
    keyFile = path.join(s.dir, "audit-public.pem");
    fs.writeFileSync(keyFile, await fetch(`${s.baseUrl}/.well-known/leeway/audit-signing-key.pem`).then((r) => r.text()));
  });
  afterAll(() => s.close());

  const head = async () => (await s.leeway.context.chain.head(s.leeway.context.dataSource.manager, CONTOSO)).seq;

  /** Appends events through the unit of work (so the real chain links and hashes them), in large transactions, until the head is at `seq`. */
  const appendUntil = async (seq: number) => {
    for (let at = await head(); at < seq; at = await head()) {
      const from = at;
      const n = Math.min(3000, seq - from);
      await s.leeway.context.uow.run({ tenantId: CONTOSO, actor: { tenantId: CONTOSO, userId: "tester" }, requestId: null }, async (tx) => {
        for (let i = 1; i <= n; i++) tx.audit({ action: "test.bulk", entity: "test_thing", entityId: `bulk-${from + i}`, changes: { n: { after: from + i } } });
      });
    }
    expect(await head()).toBe(seq);
  };

  /** A checkpoint signed on request: its own audit event is the head it signs. */
  const sign = async () => (await request(s.baseUrl).post("/api/v1/audit/checkpoints").set("Authorization", `Bearer ${lidia}`).expect(201)).body.seq as number;

  const exportAs = async (format: "jsonl" | "csv") => {
    const res = await fetch(`${s.baseUrl}/api/v1/audit/export?format=${format}`, { headers: { authorization: `Bearer ${lidia}` } });
    expect(res.status).toBe(200);
    return { total: Number(res.headers.get("x-total-count")), text: await res.text() };
  };

  it("exports every event exactly once across page boundaries: the JSONL verifies offline, the CSV has one row per event in order", async () => {
    const signed: number[] = [];
    for (const edge of PAGE_EDGES) {
      await appendUntil(edge - 2);
      // The last two events of one page and the first of the next, each signed.
      for (let i = 0; i < 3; i++) signed.push(await sign());
    }
    expect(signed).toEqual(PAGE_EDGES.flatMap((edge) => [edge - 1, edge, edge + 1]));
    await appendUntil(LAST_BEFORE_EXPORT);

    // Count the pages the exports read, to be sure the chain spans several of each.
    const jsonlPages: number[] = [];
    const pages = AuditChain.prototype.pages;
    const readPages = jest.spyOn(AuditChain.prototype, "pages").mockImplementation(async function* (this: AuditChain, ...args: Parameters<typeof pages>) {
      for await (const page of pages.apply(this, args)) {
        jsonlPages.push(page.length);
        yield page;
      }
    });
    const csvPages = jest.spyOn(AuditRepository.prototype, "exportPage");
    let jsonl: { total: number; text: string };
    let csv: { total: number; text: string };
    let csvPageReads: number;
    try {
      jsonl = await exportAs("jsonl");
      csv = await exportAs("csv");
      csvPageReads = csvPages.mock.calls.length;
    } finally {
      readPages.mockRestore();
      csvPages.mockRestore();
    }
    expect({ jsonl: jsonlPages.length >= 3, csv: csvPageReads >= 7 }).toEqual({ jsonl: true, csv: true });

    // JSONL: the export's own event is the last, and the closing checkpoint signs it.
    const events = LAST_BEFORE_EXPORT + 1;
    expect(jsonl.total).toBe(events);
    const file = path.join(s.dir, "export.jsonl");
    fs.writeFileSync(file, jsonl.text);
    // Offline, as `npm run audit:verify` does; a file that does not verify exits 1 with its report.
    const cli = await run(process.execPath, ["--import", "tsx", "server/src/audit/verify-cli.ts", file, "--public-key", keyFile, "--json"], { cwd: path.resolve(__dirname, "../..") }).catch(
      (err: { code?: number; stdout?: string }) => ({ stdout: err.code === 1 && err.stdout ? err.stdout : JSON.stringify({ failed: String(err) }) }),
    );
    const report = JSON.parse(cli.stdout) as Record<string, unknown>;
    expect(report).toEqual({ ok: true, tenantId: CONTOSO, events, checkpoints: expect.any(Number), headHash: expect.any(String) });
    const lines = jsonl.text.trimEnd().split("\n").map((l) => JSON.parse(l) as Line);
    const eventLines = lines.filter((l) => l.type === "event");
    expect(eventLines.map((l) => l.seq)).toEqual(Array.from({ length: events }, (_, i) => i + 1));
    // Each checkpoint stored before the closing one appears once, right after its event.
    const stored = (await s.leeway.context.dataSource.query(`SELECT seq FROM audit_checkpoint WHERE tenant_id = ${s.db.engine === "postgres" ? "$1" : "?"} ORDER BY seq`, [CONTOSO])) as { seq: number | string }[];
    const inside = stored.map((r) => Number(r.seq)).filter((seq) => seq < events);
    expect(inside).toEqual(expect.arrayContaining(signed));
    expect(lines.filter((l) => l.type === "checkpoint").map((l) => l.seq)).toEqual(inside);
    lines.forEach((l, i) => {
      if (l.type === "checkpoint") expect({ at: l.seq, after: lines[i - 1] }).toEqual({ at: l.seq, after: expect.objectContaining({ type: "event", seq: l.seq }) });
    });
    expect(lines.at(-1)).toMatchObject({ type: "end", events, lastSeq: events, checkpoint: { seq: events } });
    expect(report).toEqual({ ok: true, tenantId: CONTOSO, events, checkpoints: inside.length + 1, headHash: eventLines.at(-1)!.hash });

    // CSV: through its own event, one row per event, each linked to the row before, as in the JSONL.
    const rows = parse(csv.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: events + 1 }, (_, i) => i + 1));
    expect(csv.total).toBe(rows.length);
    expect(rows.filter((r, i) => i > 0 && r.prev_hash !== rows[i - 1]!.hash).map((r) => r.seq)).toEqual([]);
    const hashes = new Map(eventLines.map((l) => [l.seq, l.hash]));
    expect(rows.slice(0, events).filter((r) => hashes.get(Number(r.seq)) !== r.hash).map((r) => r.seq)).toEqual([]);
    expect(rows.at(-1)).toMatchObject({ action: "audit.exported", actor_id: DEMO.contoso.lidia });
  });
});
