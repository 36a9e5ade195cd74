// The local tenant's token signing key. Kept in a JWK file when a path is given, so tokens
// issued before a restart still verify afterwards; otherwise a fresh key per process.
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { randomUUID, type webcrypto } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

type CryptoKey = webcrypto.CryptoKey;

export interface LocalSigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** Public half as published in the JWKS (kty, n, e, kid, alg, use). */
  publicJwk: JWK;
}

interface StoredKeyFile {
  kid: string;
  privateJwk: JWK;
}

async function fromPrivateJwk(kid: string, privateJwk: JWK): Promise<LocalSigningKey> {
  const { kty, n, e } = privateJwk;
  if (kty !== "RSA" || !n || !e || !privateJwk.d) throw new Error("the signing key file does not hold an RSA private key");
  const publicJwk: JWK = { kty, n, e, kid, alg: "RS256", use: "sig" };
  const privateKey = await importJWK({ ...privateJwk, alg: "RS256" }, "RS256", { extractable: true });
  const publicKey = await importJWK(publicJwk, "RS256");
  if (privateKey instanceof Uint8Array || publicKey instanceof Uint8Array) throw new Error("unexpected key type");
  return { kid, privateKey, publicKey, publicJwk };
}

async function generate(): Promise<StoredKeyFile> {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: "RSA", n: privateJwk.n, e: privateJwk.e });
  return { kid, privateJwk };
}

async function readStored(file: string): Promise<StoredKeyFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<StoredKeyFile>;
  if (typeof parsed.kid !== "string" || !parsed.privateJwk) throw new Error(`${file} is not a signing key file`);
  return { kid: parsed.kid, privateJwk: parsed.privateJwk };
}

/**
 * Loads the RS256 signing key from `file`, creating it (mode 0600, parent directories made)
 * when it does not exist yet. Without a file the key lives only in memory.
 * Two processes racing to create the same file end up with the same key: the file is written
 * under a temporary name and linked into place only if nobody else got there first.
 */
export async function loadOrCreateSigningKey(file?: string): Promise<LocalSigningKey> {
  if (!file) {
    const fresh = await generate();
    return fromPrivateJwk(fresh.kid, fresh.privateJwk);
  }
  const existing = await readStored(file);
  if (existing) return fromPrivateJwk(existing.kid, existing.privateJwk);

  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const fresh = await generate();
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  try {
    // link() refuses to replace an existing file, so the first writer's key wins and nobody
    // ever reads a half-written file.
    await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  const stored = await readStored(file);
  if (!stored) throw new Error(`could not persist the signing key to ${file}`);
  return fromPrivateJwk(stored.kid, stored.privateJwk);
}
