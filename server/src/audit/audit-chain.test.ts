import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { Readable } from "node:stream";
import { GENESIS_HASH, checkpointBytesV1, encodeFields, eventBytes, hashEvent, hashEventV1, type StoredAuditEvent } from "./canonical";
import { ChainVerifier } from "./chain-verifier";
import { EXPORT_FORMAT, exportLineText } from "./export-format";
import { signerFromPem, verifyCheckpoint } from "./signing";
import { verifyExport } from "./verify-export";

const TENANT = "c0c0c0c0-0000-4000-8000-000000000001";

function chain(n: number, hashOf: (seq: number) => (e: Omit<StoredAuditEvent, "hash">) => string = () => hashEvent): StoredAuditEvent[] {
  const out: StoredAuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = {
      tenantId: TENANT,
      seq,
      occurredAt: `2026-11-0${1 + (seq % 9)}T10:00:00.000Z`,
      actorTenantId: TENANT,
      actorId: seq % 2 ? "adele" : "megan",
      action: "outcome.updated",
      entity: "outcome",
      entityId: `o-${seq}`,
      changes: JSON.stringify({ title: { before: `t${seq - 1}`, after: `t${seq}` } }),
      reason: seq % 3 ? null : "agreed in 1:1",
      requestId: `req-${seq}`,
      prevHash,
    };
    const stored = { ...e, hash: hashOf(seq)(e) };
    out.push(stored);
    prevHash = stored.hash;
  }
  return out;
}

describe("canonical encoding", () => {
  it("distinguishes null from empty text and shifts between neighbouring fields", () => {
    const a = encodeFields("d", ["ab", "c"]);
    const b = encodeFields("d", ["a", "bc"]);
    const c = encodeFields("d", ["", null]);
    const d = encodeFields("d", [null, ""]);
    expect(a.equals(b)).toBe(false);
    expect(c.equals(d)).toBe(false);
  });

  it("separates domains, so the same fields hash differently as events and checkpoints", () => {
    expect(encodeFields("leeway/audit-event/v2\n", ["x"]).equals(encodeFields("leeway/audit-checkpoint/v2\n", ["x"]))).toBe(false);
  });

  it("writes version 2 as documented: tag, then ~ for null or length:text per field, hashed as UTF-8", () => {
    const e = { ...chain(3)[2]!, reason: "agreed in 1:1 — café", requestId: "req-3" };
    const expected =
      "leeway/audit-event/v2\n" +
      [e.tenantId, "3", e.occurredAt, e.actorTenantId, e.actorId, e.action, e.entity, e.entityId, e.changes, e.reason, e.requestId, e.prevHash].map((f: string) => `${f.length}:${f}`).join("");
    expect(eventBytes(e).toString("utf8")).toBe(expected);
    expect(hashEvent(e)).toBe(createHash("sha256").update(Buffer.from(expected, "utf8")).digest("hex"));
    expect(eventBytes({ ...e, reason: null }).toString("utf8")).toContain(`${e.changes.length}:${e.changes}~${e.requestId.length}:`);
  });

  it("writes the length of any field, however long, in UTF-16 code units", () => {
    const [e] = chain(1);
    for (const changes of ["x".repeat(4095), "x".repeat(4096), JSON.stringify({ note: { after: "🙂".repeat(3000) } }), ""]) {
      const x = { ...e!, changes };
      const documented =
        "leeway/audit-event/v2\n" +
        [x.tenantId, "1", x.occurredAt, x.actorTenantId, x.actorId, x.action, x.entity, x.entityId, x.changes, x.reason, x.requestId, x.prevHash].map((f) => (f === null ? "~" : `${f.length}:${f}`)).join("");
      expect(eventBytes(x).toString("utf8")).toBe(documented);
      expect(hashEvent(x)).toBe(createHash("sha256").update(documented, "utf8").digest("hex"));
    }
  });

  it("changes the hash when any single stored field changes", () => {
    const [e] = chain(1);
    const base = hashEvent(e!);
    for (const key of ["tenantId", "occurredAt", "actorId", "action", "entity", "entityId", "changes", "reason", "requestId", "prevHash"] as const) {
      expect(hashEvent({ ...e!, [key]: `${String(e![key])}x` })).not.toBe(base);
    }
    expect(hashEvent({ ...e!, seq: 2 })).not.toBe(base);
  });
});

describe("ChainVerifier", () => {
  it("accepts an intact chain and reports its head", () => {
    const events = chain(50);
    const v = new ChainVerifier();
    events.forEach((e) => v.push(e));
    expect(v.report()).toEqual({ ok: true, events: 50, headHash: events[49]!.hash });
  });

  it("names the exact sequence of an edited event", () => {
    const events = chain(20);
    events[12] = { ...events[12]!, changes: events[12]!.changes.replace("t13", "t99") };
    const v = new ChainVerifier();
    events.forEach((e) => v.push(e));
    expect(v.report()).toMatchObject({ ok: false, firstBadSeq: 13, events: 12 });
  });

  it("finds a removed event as a gap, and a re-hashed edit by the broken link after it, naming the edited event", () => {
    const gap = chain(10).filter((e) => e.seq !== 4);
    const v1 = new ChainVerifier();
    gap.forEach((e) => v1.push(e));
    expect(v1.report()).toMatchObject({ ok: false, firstBadSeq: 4 });

    const events = chain(10);
    const forged = { ...events[5]!, actorId: "mallory" };
    events[5] = { ...forged, hash: hashEvent(forged) };
    const v2 = new ChainVerifier();
    events.forEach((e) => v2.push(e));
    // Event 6 matches its new hash, but event 7 links to the old one: 6 is not vouched for.
    expect(v2.report()).toMatchObject({ ok: false, firstBadSeq: 6, events: 5, headHash: events[4]!.hash });
    expect(v2.report().problem).toMatch(/between sequence 6 and 7/);
    expect(v2.lastSeq).toBe(5);
  });
});

describe("trails written before version 2", () => {
  const mixed = () => chain(12, (seq) => (seq <= 5 ? hashEventV1 : hashEvent));

  it("verify event by event in whichever version each was written", () => {
    const events = mixed();
    expect(events[0]!.hash).toBe(hashEventV1(events[0]!));
    const v = new ChainVerifier();
    events.forEach((e) => v.push(e));
    expect(v.report()).toEqual({ ok: true, events: 12, headHash: events[11]!.hash });
  });

  it("still name an edited version 1 event", () => {
    const events = mixed();
    events[2] = { ...events[2]!, actorId: "mallory" };
    const v = new ChainVerifier();
    events.forEach((e) => v.push(e));
    expect(v.report()).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it("keep their checkpoint signatures valid", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const statement = { tenantId: TENANT, seq: 5, headHash: mixed()[4]!.hash, signedAt: "2026-11-01T00:00:00.000Z" };
    const old = sign(null, checkpointBytesV1(statement), privateKey).toString("base64");
    const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(verifyCheckpoint(statement, old, pem)).toBe(true);
    expect(verifyCheckpoint({ ...statement, seq: 6 }, old, pem)).toBe(false);
  });
});

describe("offline export verification", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signer = signerFromPem(privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();

  const EXPORTED_AT = "2026-11-28T00:00:00.000Z";

  /** An export as the server writes it, of `events` (which may be a later run of the chain when `fromSeq` says so). */
  function exportOf(events: StoredAuditEvent[], options: { fromSeq?: number; version?: number; midSigner?: typeof signer } = {}): string {
    const fromSeq = options.fromSeq ?? 1;
    const last = events[events.length - 1]!;
    const statement = { tenantId: TENANT, seq: last.seq, headHash: last.hash, signedAt: "2026-11-28T00:00:00.000Z" };
    const closing = { type: "checkpoint" as const, ...statement, keyId: signer.keyId, signature: signer.sign(statement) };
    const mid = events[4]!;
    const midStatement = { tenantId: TENANT, seq: mid.seq, headHash: mid.hash, signedAt: "2026-11-27T00:00:00.000Z" };
    const lines = [
      exportLineText({ type: "header", format: EXPORT_FORMAT, version: options.version ?? 2, tenantId: TENANT, exportedAt: EXPORTED_AT, fromSeq, prevHash: events[0]!.prevHash, keyId: signer.keyId }),
      ...events.flatMap((e) => {
        const line = [exportLineText({ type: "event", ...e })];
        const midBy = options.midSigner ?? signer;
        if (e.seq === mid.seq) line.push(exportLineText({ type: "checkpoint", ...midStatement, keyId: midBy.keyId, signature: midBy.sign(midStatement) }));
        return line;
      }),
      exportLineText({
        type: "end", events: events.length, lastSeq: last.seq, headHash: last.hash, checkpoint: closing, keyId: signer.keyId,
        signature: signer.signExport({ tenantId: TENANT, exportedAt: EXPORTED_AT, fromSeq, events: events.length, lastSeq: last.seq, headHash: last.hash }),
      }),
    ];
    return `${lines.join("\n")}\n`;
  }

  const verify = (text: string, key = publicPem) => verifyExport(Readable.from([text]), key);

  it("verifies an untouched export with its signed checkpoints", async () => {
    await expect(verify(exportOf(chain(12)))).resolves.toMatchObject({ ok: true, events: 12, checkpoints: 2 });
  });

  it("fails on a one-character change and names the line", async () => {
    const text = exportOf(chain(12));
    const tampered = text.replace('\\"after\\":\\"t7\\"', '\\"after\\":\\"t8\\"');
    expect(tampered).not.toBe(text);
    const report = await verify(tampered);
    expect(report).toMatchObject({ ok: false, badLine: 9, firstBadSeq: 7 });
  });

  it("names the line of an event that was rewritten and hashed again, not the intact one after it", async () => {
    const events = chain(12);
    const forged = { ...events[2]!, actorId: "mallory" };
    events[2] = { ...forged, hash: hashEvent(forged) };
    const lines = exportOf(events).split("\n");
    const report = await verify(exportOf(events));
    expect(report).toMatchObject({ ok: false, firstBadSeq: 3, events: 2, headHash: events[1]!.hash });
    expect(lines[report.badLine! - 1]).toContain('"actorId":"mallory"');
  });

  it("blames the later event when a signed checkpoint vouches for the one before the broken link", async () => {
    // The export signs a checkpoint over event 5; event 6 is then given another link and hashed again.
    const events = chain(12);
    const forged = { ...events[5]!, prevHash: "f".repeat(64) };
    events[5] = { ...forged, hash: hashEvent(forged) };
    const text = exportOf(chain(12)).split("\n");
    const sixth = text.findIndex((l) => l.includes('"seq":6,'));
    text[sixth] = exportLineText({ type: "event", ...events[5]! });
    const report = await verify(text.join("\n"));
    expect(report).toMatchObject({ ok: false, firstBadSeq: 6, events: 5, badLine: sixth + 1 });
  });

  it("names a missing event's place where the gap shows", async () => {
    const lines = exportOf(chain(12)).split("\n");
    const withoutFirst = lines.filter((l) => !l.includes('"seq":1,'));
    expect(await verify(withoutFirst.join("\n"))).toMatchObject({ ok: false, firstBadSeq: 1, badLine: 2 });
    const fourth = lines.findIndex((l) => l.includes('"seq":4,'));
    const withoutFourth = lines.filter((_, i) => i !== fourth);
    expect(await verify(withoutFourth.join("\n"))).toMatchObject({ ok: false, firstBadSeq: 4, badLine: fourth + 1 });
  });

  it("fails when the tail is cut off, even though every remaining link is intact", async () => {
    const lines = exportOf(chain(12)).trimEnd().split("\n");
    const cut = lines.slice(0, 9).join("\n");
    await expect(verify(cut)).resolves.toMatchObject({ ok: false, problem: expect.stringContaining("cut short") });
  });

  it("fails when the tail is cut at a checkpoint and an end is made from it, since the end signs the whole export", async () => {
    const events = chain(12);
    const lines = exportOf(events).trimEnd().split("\n");
    // Keep the header, events 1-5 and the checkpoint signed at 5; end the file as if 5 were the head.
    const mid = JSON.parse(lines[6]!) as { type: string; seq: number; headHash: string };
    expect(mid).toMatchObject({ type: "checkpoint", seq: 5 });
    const end = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    const forged = [...lines.slice(0, 6), JSON.stringify({ ...end, events: 5, lastSeq: 5, headHash: mid.headHash, checkpoint: mid })].join("\n");
    await expect(verify(forged)).resolves.toMatchObject({ ok: false, problem: expect.stringContaining("not signed for this export") });
  });

  it("fails when the beginning is cut off, even with a header that starts where the file now does", async () => {
    const events = chain(12);
    await expect(verify(exportOf(events.slice(3), { fromSeq: 4 }))).resolves.toMatchObject({ ok: false, problem: expect.stringContaining("beginning is missing") });
  });

  it("asks for a new export when given one made before ends were signed", async () => {
    await expect(verify(exportOf(chain(12), { version: 1 }))).resolves.toMatchObject({ ok: false, problem: expect.stringContaining("export the trail again") });
  });

  it("accepts only lines exactly as the writer writes them, and names the first line that is not", async () => {
    const text = exportOf(chain(12));
    const lines = text.trimEnd().split("\n");
    // Line 1 is the header, 2-6 events 1-5, 7 the checkpoint at 5, 8-14 events 6-12, 15 the end.
    expect(JSON.parse(lines[6]!)).toMatchObject({ type: "checkpoint", seq: 5 });
    expect(JSON.parse(lines[14]!)).toMatchObject({ type: "end" });
    await expect(verify(text)).resolves.toMatchObject({ ok: true });

    const withKey = (line: string, extra: string) => `${line.slice(0, -1)},${extra}}`;
    const respell = (line: string, from: string, to: string) => {
      expect(line).toContain(from);
      return line.replace(from, to);
    };
    const signatureOf = (line: string) => (JSON.parse(line) as { signature: string }).signature;
    const edits: [string, number, (l: string) => string][] = [
      ["an extra key on an event", 4, (l) => withKey(l, '"note":"hidden"')],
      ["an extra key on the header", 1, (l) => withKey(l, '"note":"hidden"')],
      ["an extra key on a checkpoint", 7, (l) => withKey(l, '"note":"hidden"')],
      ["an extra key on the end", 15, (l) => withKey(l, '"note":"hidden"')],
      ["an extra key on the end's closing checkpoint", 15, (l) => respell(l, '"checkpoint":{"type":"checkpoint",', '"checkpoint":{"type":"checkpoint","note":"hidden",')],
      ["a repeated key, of which JSON keeps the last", 4, (l) => respell(l, '{"type":"event",', '{"type":"event","actorId":"mallory",')],
      ["a repeated key on the header", 1, (l) => respell(l, '{"type":"header",', '{"type":"header","tenantId":"another",')],
      ["a sequence number written as 3e0", 4, (l) => respell(l, '"seq":3,', '"seq":3e0,')],
      ["fromSeq written as 1.0", 1, (l) => respell(l, '"fromSeq":1,', '"fromSeq":1.0,')],
      ["lastSeq written as 12E0", 15, (l) => respell(l, '"lastSeq":12,', '"lastSeq":12E0,')],
      ["text escaped where the writer would not", 4, (l) => respell(l, '"action":"outcome.updated"', '"action":"outcome\\u002eupdated"')],
      ["space between keys", 4, (l) => respell(l, '"type":"event",', '"type": "event", ')],
      ["junk inside a checkpoint's base64 signature", 7, (l) => respell(l, signatureOf(l), `${signatureOf(l).slice(0, 10)}!${signatureOf(l).slice(10)}`)],
      ["a checkpoint signature without its padding", 7, (l) => respell(l, signatureOf(l), signatureOf(l).replace(/=+$/, ""))],
      ["a space inside the end's signature", 15, (l) => respell(l, signatureOf(l), `${signatureOf(l).slice(0, 20)} ${signatureOf(l).slice(20)}`)],
      ["a checkpoint naming another key", 7, (l) => respell(l, `"keyId":"${signer.keyId}"`, `"keyId":"${"0".repeat(16)}"`)],
      ["the end naming another key", 15, (l) => respell(l, `"signature":"${signatureOf(l)}","keyId":"${signer.keyId}"`, `"signature":"${signatureOf(l)}","keyId":"${"0".repeat(16)}"`)],
      ["a line ending in a carriage return", 9, (l) => `${l}\r`],
    ];
    for (const [what, lineNo, edit] of edits) {
      const edited = lines.map((l, i) => (i === lineNo - 1 ? edit(l) : l));
      const report = await verify(`${edited.join("\n")}\n`);
      expect({ what, ...report }).toMatchObject({ what, ok: false, badLine: lineNo });
    }

    const repeated = [...lines.slice(0, 7), lines[6]!, ...lines.slice(7)];
    await expect(verify(`${repeated.join("\n")}\n`)).resolves.toMatchObject({ ok: false, badLine: 8, problem: expect.stringContaining("appears twice") });

    const blank = [...lines.slice(0, 5), "", ...lines.slice(5)];
    await expect(verify(`${blank.join("\n")}\n`)).resolves.toMatchObject({ ok: false, badLine: 6 });
    await expect(verify(text.trimEnd())).resolves.toMatchObject({ ok: false, badLine: 15, problem: expect.stringContaining("line feed") });
    await expect(verify(`${text}\n`)).resolves.toMatchObject({ ok: false, badLine: 16 });
    // A byte that is not UTF-8 is not read as a replacement character that the writer could have written.
    const bytes = Buffer.from(text.replace(`"keyId":"${signer.keyId}"`, `"keyId":"${signer.keyId.slice(0, -1)}\u00ff"`), "utf8");
    const at = bytes.indexOf(Buffer.from("\u00ff", "utf8"));
    const notUtf8 = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff]), bytes.subarray(at + 2)]);
    await expect(verifyExport(Readable.from([notUtf8]), publicPem)).resolves.toMatchObject({ ok: false, badLine: 1, problem: expect.stringContaining("UTF-8") });
  });

  it("reports a line that is not a JSON object as a bad line, not a crash", async () => {
    const lines = exportOf(chain(6)).trimEnd().split("\n");
    await expect(verify([lines[0], "null", ...lines.slice(1)].join("\n"))).resolves.toMatchObject({ ok: false, badLine: 2 });
  });

  it("verifies a trail signed across a key rotation when the old public key is given too", async () => {
    const before = generateKeyPairSync("ed25519");
    const oldSigner = signerFromPem(before.privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    const oldPem = before.publicKey.export({ type: "spki", format: "pem" }).toString();
    const text = exportOf(chain(12), { midSigner: oldSigner });
    await expect(verify(text)).resolves.toMatchObject({ ok: false, problem: expect.stringContaining("invalid signature") });
    await expect(verifyExport(Readable.from([text]), [publicPem, oldPem])).resolves.toMatchObject({ ok: true, events: 12, checkpoints: 2 });
  });

  it("refuses checkpoints signed by another key", async () => {
    const other = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    await expect(verify(exportOf(chain(12)), other)).resolves.toMatchObject({ ok: false, problem: expect.stringContaining("invalid signature") });
  });

  it("signs checkpoints that only the matching public key verifies", () => {
    const st = { tenantId: TENANT, seq: 3, headHash: "a".repeat(64), signedAt: "2026-11-28T00:00:00.000Z" };
    const sig = signer.sign(st);
    expect(verifyCheckpoint(st, sig, publicPem)).toBe(true);
    expect(verifyCheckpoint({ ...st, seq: 4 }, sig, publicPem)).toBe(false);
    expect(verifyCheckpoint(st, "not-base64!", publicPem)).toBe(false);
  });
});
