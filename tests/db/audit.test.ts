import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { DataSource } from "typeorm";
import { exportJsonl } from "../../server/src/audit/export-writer";
import { AuditEventEntity, TeamEntity } from "../../server/src/store/entities";
import { CONTOSO, FABRIKAM, ownerConnection, startTestServer, type TestServer } from "../support/harness";

const run = promisify(execFile);

describe("audit trail", () => {
  let s: TestServer;
  let owner: DataSource;
  const actor = { tenantId: CONTOSO, userId: "tester" };

  beforeAll(async () => {
    s = await startTestServer();
    owner = await ownerConnection(s.db);
  });
  afterAll(async () => {
    await owner.destroy();
    await s.close();
  });

  const count = async (tenantId: string) => s.leeway.context.dataSource.getRepository(AuditEventEntity).countBy({ tenantId });

  it("writes the change and its audit event together, with field changes, actor, request id and database time", async () => {
    const { uow } = s.leeway.context;
    const before = await count(CONTOSO);
    await uow.run({ tenantId: CONTOSO, actor, requestId: "req-audit-1" }, async (tx) => {
      await tx.manager.save(TeamEntity, { tenantId: CONTOSO, id: "audit-team-1", name: "Audit team", description: "", rhythm: "weekly", createdAt: new Date().toISOString() });
      tx.audit({ action: "team.created", entity: "team", entityId: "audit-team-1", changes: { name: { after: "Audit team" } }, reason: "test" });
    });
    expect(await count(CONTOSO)).toBe(before + 1);
    const last = await s.leeway.context.dataSource.getRepository(AuditEventEntity).findOneByOrFail({ tenantId: CONTOSO, seq: before + 1 });
    expect(last).toMatchObject({ action: "team.created", actorId: "tester", requestId: "req-audit-1", reason: "test" });
    expect(JSON.parse(last.changes)).toEqual({ name: { after: "Audit team" } });
    expect(last.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("leaves neither the change nor an audit row when the unit of work rolls back", async () => {
    const { uow, dataSource } = s.leeway.context;
    const before = await count(CONTOSO);
    await expect(
      uow.run({ tenantId: CONTOSO, actor }, async (tx) => {
        await tx.manager.save(TeamEntity, { tenantId: CONTOSO, id: "rolled-back", name: "Never", description: "", rhythm: "weekly", createdAt: new Date().toISOString() });
        tx.audit({ action: "team.created", entity: "team", entityId: "rolled-back" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await count(CONTOSO)).toBe(before);
    expect(await dataSource.getRepository(TeamEntity).findOneBy({ tenantId: CONTOSO, id: "rolled-back" })).toBeNull();
  });

  it("keeps one gap-free sequence per tenant under concurrent writers", async () => {
    const { uow, chain, dataSource } = s.leeway.context;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        uow.run({ tenantId: i % 2 ? CONTOSO : FABRIKAM, actor: { tenantId: i % 2 ? CONTOSO : FABRIKAM, userId: "tester" } }, async (tx) => {
          tx.audit({ action: "test.write", entity: "test", entityId: `w-${i}` });
        }),
      ),
    );
    for (const t of [CONTOSO, FABRIKAM]) {
      const seqs = (await dataSource.getRepository(AuditEventEntity).find({ where: { tenantId: t }, order: { seq: "ASC" }, select: { seq: true } })).map((r) => Number(r.seq));
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      await expect(chain.verify(dataSource.manager, t)).resolves.toMatchObject({ ok: true, events: seqs.length });
    }
  });

  it("lets units of work that arrive together fail alone: the others commit whole, the failed ones leave nothing", async () => {
    const { uow, chain, dataSource } = s.leeway.context;
    const before = await count(CONTOSO);
    const teams = dataSource.getRepository(TeamEntity);
    const results = await Promise.allSettled(
      Array.from({ length: 24 }, (_, i) =>
        uow.run({ tenantId: CONTOSO, actor }, async (tx) => {
          const id = `together-${i}`;
          await tx.manager.insert(TeamEntity, { tenantId: CONTOSO, id, name: `Together ${i}`, description: "", rhythm: "weekly", createdAt: new Date().toISOString() });
          tx.audit({ action: "team.created", entity: "team", entityId: id });
          // Every third unit fails after its write; a duplicate key is a failure inside the database.
          if (i % 6 === 2) throw new Error(`refused ${i}`);
          if (i % 6 === 5) await tx.manager.insert(TeamEntity, { tenantId: CONTOSO, id, name: "Twice", description: "", rhythm: "weekly", createdAt: new Date().toISOString() });
          return id;
        }),
      ),
    );
    const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(ok).toEqual(Array.from({ length: 24 }, (_, i) => i).filter((i) => i % 3 !== 2).map((i) => `together-${i}`));
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(8);
    const stored = (await teams.find({ where: { tenantId: CONTOSO }, select: { id: true } })).map((t) => t.id).filter((id) => id.startsWith("together-"));
    expect(stored.sort()).toEqual([...ok].sort());
    expect(await count(CONTOSO)).toBe(before + ok.length);
    await expect(chain.verify(dataSource.manager, CONTOSO)).resolves.toMatchObject({ ok: true });
  });

  it("refuses UPDATE, DELETE and TRUNCATE of audit rows in the database itself", async () => {
    const ds = s.leeway.context.dataSource;
    await expect(ds.query("UPDATE audit_event SET action = 'forged' WHERE seq = 1")).rejects.toThrow(/append-only|permission denied/);
    await expect(ds.query("DELETE FROM audit_event WHERE seq = 1")).rejects.toThrow(/append-only|permission denied/);
    // Even the owner of the table, who is allowed everything else, is stopped by the triggers.
    await expect(owner.query("UPDATE audit_event SET action = 'forged' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(owner.query("DELETE FROM audit_event")).rejects.toThrow(/append-only/);
    if (s.db.engine === "postgres") {
      await expect(owner.query("TRUNCATE audit_event")).rejects.toThrow(/append-only/);
      await expect(ds.query("TRUNCATE audit_event")).rejects.toThrow(/append-only|permission denied/);
    }
    await expect(s.leeway.context.chain.verify(ds.manager, CONTOSO)).resolves.toMatchObject({ ok: true });
  });

  it("exports a trail that verifies offline, and a one-byte change to the export does not", async () => {
    const { dataSource, chain, signer } = s.leeway.context;
    const file = path.join(s.dir, "export.jsonl");
    const keyFile = path.join(s.dir, "audit-public.pem");
    const out = fs.createWriteStream(file);
    for (let i = 0; i < 2; i++) {
      // Checkpoints inside the exported run, as earlier exports and the periodic ones leave them.
      await chain.checkpoint((fn) => dataSource.transaction(fn), CONTOSO);
      await s.leeway.context.uow.run({ tenantId: CONTOSO, actor: { tenantId: CONTOSO, userId: "system" }, requestId: null }, async (tx) => tx.audit({ action: "audit.noted", entity: "tenant", entityId: CONTOSO }));
    }
    const closing = await chain.checkpoint((fn) => dataSource.transaction(fn), CONTOSO);
    for await (const chunk of exportJsonl(dataSource, chain, CONTOSO, signer, closing)) out.write(chunk);
    await new Promise((r) => out.end(r));
    const pem = await fetch(`${s.baseUrl}/.well-known/leeway/audit-signing-key.pem`).then((r) => r.text());
    fs.writeFileSync(keyFile, pem);
    const cli = (f: string) => run(process.execPath, ["--import", "tsx", "server/src/audit/verify-cli.ts", f, "--public-key", keyFile], { cwd: path.resolve(__dirname, "../..") });
    const ok = await cli(file);
    expect(ok.stdout).toMatch(/^OK: \d+ events/);
    // Through npm, which runs scripts from the project's folder: names are read where the person typed them.
    const typedThere = await run(process.execPath, ["--import", "tsx", "server/src/audit/verify-cli.ts", "export.jsonl", "--public-key", "audit-public.pem"], {
      cwd: path.resolve(__dirname, "../.."),
      env: { ...process.env, INIT_CWD: s.dir },
    });
    expect(typedThere.stdout).toMatch(/^OK: \d+ events/);

    const text = fs.readFileSync(file, "utf8");
    // Every checkpoint stored before the closing one is in the file, right after its event.
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as { type: string; seq?: number });
    const stored = (await dataSource.query(`SELECT seq FROM audit_checkpoint WHERE tenant_id = ${s.db.engine === "postgres" ? "$1" : "?"} ORDER BY seq`, [CONTOSO])) as { seq: number | string }[];
    const expected = stored.map((r) => Number(r.seq)).filter((seq) => seq < closing!.seq);
    expect(expected.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.type === "checkpoint").map((l) => l.seq)).toEqual(expected);
    lines.forEach((l, i) => {
      if (l.type === "checkpoint") expect(lines[i - 1]).toMatchObject({ type: expect.stringMatching(/^(event|checkpoint)$/), seq: l.seq });
    });
    const at = text.indexOf('"action":"team.created"') + '"action":"team.'.length;
    const tampered = path.join(s.dir, "tampered.jsonl");
    fs.writeFileSync(tampered, `${text.slice(0, at)}C${text.slice(at + 1)}`);
    const badLine = text.slice(0, at).split("\n").length;
    await expect(cli(tampered)).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining(`NOT VERIFIED: line ${badLine}`) });
  });

  it("finds a row changed behind the triggers' back at its exact sequence number", async () => {
    const ds = s.leeway.context.dataSource;
    const target = 3;
    if (s.db.engine === "postgres") {
      await owner.query("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
      await owner.query(`UPDATE audit_event SET actor_id = 'mallory' WHERE tenant_id = $1 AND seq = $2`, [CONTOSO, target]);
      await owner.query("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
    } else {
      await owner.query("DROP TRIGGER audit_event_no_update");
      await owner.query(`UPDATE audit_event SET actor_id = 'mallory' WHERE tenant_id = ? AND seq = ?`, [CONTOSO, target]);
    }
    await expect(s.leeway.context.chain.verify(ds.manager, CONTOSO)).resolves.toMatchObject({ ok: false, firstBadSeq: target });
    await expect(s.leeway.context.chain.verify(ds.manager, FABRIKAM)).resolves.toMatchObject({ ok: true });
  });
});
