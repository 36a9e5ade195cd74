import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { checkpointBytes, checkpointBytesV1, exportStatementBytes, type CheckpointStatement, type ExportStatement } from "./canonical";

/** The Ed25519 key that signs checkpoints of the audit chain. Only its public half leaves the server. */
export interface CheckpointSigner {
  keyId: string;
  publicKeyPem: string;
  /** Public keys that signed before the last rotations (newest first): their checkpoints still count as evidence. */
  previousKeys: { keyId: string; publicKeyPem: string }[];
  sign(statement: CheckpointStatement): string;
  /** Signs the end of an export: the whole file's extent, not only its last checkpoint. */
  signExport(statement: ExportStatement): string;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex").slice(0, 16);
}

/**
 * The Ed25519 public keys in a text of PEM blocks (as one setting, line breaks may be written \n),
 * each with its key id. Throws on a key that is not an Ed25519 public key.
 */
export function publicKeysFromPem(text: string): { keyId: string; publicKeyPem: string }[] {
  const blocks = text.replace(/\\n/g, "\n").match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  return blocks.map((block) => {
    const key = createPublicKey(block);
    if (key.asymmetricKeyType !== "ed25519") throw new Error("a previous audit signing key must be an Ed25519 public key");
    return { keyId: keyIdOf(key), publicKeyPem: key.export({ type: "spki", format: "pem" }).toString() };
  });
}

export function signerFromPem(privateKeyPem: string, previousKeys: { keyId: string; publicKeyPem: string }[] = []): CheckpointSigner {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("the audit signing key must be an Ed25519 private key");
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    previousKeys: previousKeys.filter((k) => k.keyId !== keyId),
    sign: (statement) => sign(null, checkpointBytes(statement), privateKey).toString("base64"),
    signExport: (statement) => sign(null, exportStatementBytes(statement), privateKey).toString("base64"),
  };
}

/**
 * Uses the configured key, or (outside production) creates one beside the database on first
 * start and keeps it, so checkpoints stay verifiable across restarts.
 */
export function loadOrCreateSigner(opts: { pem?: string; file: string; allowCreate: boolean; previousPublicKeys?: string }): CheckpointSigner {
  const previous = opts.previousPublicKeys ? publicKeysFromPem(opts.previousPublicKeys) : [];
  if (opts.pem) return signerFromPem(opts.pem.replace(/\\n/g, "\n"), previous);
  if (fs.existsSync(opts.file)) return signerFromPem(fs.readFileSync(opts.file, "utf8"), previous);
  if (!opts.allowCreate) throw new Error(`no audit signing key: set LEEWAY_AUDIT_SIGNING_KEY or create ${path.basename(opts.file)}`);
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  fs.mkdirSync(path.dirname(opts.file), { recursive: true });
  fs.writeFileSync(opts.file, pem, { mode: 0o600, flag: "wx" });
  return signerFromPem(pem, previous);
}

/**
 * Whether a text is base64 exactly as it is written here: the standard alphabet, padded, no
 * other characters. Decoding alone would pass an edited signature, since it skips characters it
 * does not know and accepts missing padding and the URL-safe alphabet; the text must be the
 * encoding of what it decodes to.
 */
export function isStrictBase64(text: unknown): text is string {
  return typeof text === "string" && Buffer.from(text, "base64").toString("base64") === text;
}

function signatureBytes(signatureB64: string): Buffer {
  if (!isStrictBase64(signatureB64)) throw new Error("the signature is not strict base64");
  return Buffer.from(signatureB64, "base64");
}

/** Whether the signature covers the statement, in the current encoding or, for older checkpoints, version 1. */
export function verifyCheckpoint(statement: CheckpointStatement, signatureB64: string, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    const signature = signatureBytes(signatureB64);
    return verify(null, checkpointBytes(statement), key, signature) || verify(null, checkpointBytesV1(statement), key, signature);
  } catch {
    // A malformed key or signature is simply not a valid signature.
    return false;
  }
}

/** Whether the server's current key, or one it signed with before a rotation, signed the checkpoint. */
export function signedByServer(signer: CheckpointSigner, c: CheckpointStatement & { signature: string }): boolean {
  return [signer.publicKeyPem, ...signer.previousKeys.map((k) => k.publicKeyPem)].some((pem) => verifyCheckpoint(c, c.signature, pem));
}

/** Whether the signature covers the statement of an export's end. */
export function verifyExportStatement(statement: ExportStatement, signatureB64: string, publicKeyPem: string): boolean {
  try {
    return verify(null, exportStatementBytes(statement), createPublicKey(publicKeyPem), signatureBytes(signatureB64));
  } catch {
    return false;
  }
}
