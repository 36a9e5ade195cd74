// A self-signed certificate for an HTTPS listener on loopback. MSAL refuses authorities that
// are not https://, so clients that use a real MSAL library reach the local tenant through such
// a listener and trust this certificate explicitly (never by turning verification off).
import { X509Certificate, randomUUID } from "node:crypto";
import { link, mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generate } from "selfsigned";

export interface LocalTlsCredentials {
  key: string;
  cert: string;
  /** Where the certificate (public part only) was written, when a directory was given. */
  certFile?: string;
}

const BUNDLE = "local-m365-tls.json"; // key and certificate together, mode 0600
const CERT_PEM = "local-m365-cert.pem"; // the certificate alone, for NODE_EXTRA_CA_CERTS or a browser
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

async function createCredentials(): Promise<{ key: string; cert: string }> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 365 * 24 * 3600 * 1000);
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

function stillUsable(cert: string): boolean {
  try {
    const x509 = new X509Certificate(cert);
    const validTo = new Date(x509.validTo).getTime();
    return validTo - Date.now() > RENEW_BEFORE_MS && x509.checkIP("127.0.0.1") !== undefined;
  } catch {
    return false;
  }
}

async function readBundle(file: string): Promise<{ key: string; cert: string } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as { key?: unknown; cert?: unknown };
    if (typeof parsed.key === "string" && typeof parsed.cert === "string" && stillUsable(parsed.cert)) {
      return { key: parsed.key, cert: parsed.cert };
    }
    return undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

async function writeAtomically(file: string, text: string, mode: number, replace: boolean): Promise<void> {
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, text, { mode, flag: "wx" });
  try {
    if (replace) await rename(temp, file);
    else await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * Key and certificate (PEM) for `https.createServer`, valid for localhost, 127.0.0.1 and ::1.
 * With a directory they are kept there and reused until a week before they expire; without one
 * they are generated per process.
 */
export async function loadOrCreateLocalTlsCredentials(dir?: string): Promise<LocalTlsCredentials> {
  if (!dir) return createCredentials();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const bundleFile = join(dir, BUNDLE);
  let creds = await readBundle(bundleFile);
  if (!creds) {
    const fresh = await createCredentials();
    // An expired bundle is replaced; a missing one is linked so a concurrent starter's wins.
    const exists = await readFile(bundleFile).then(
      () => true,
      () => false,
    );
    await writeAtomically(bundleFile, JSON.stringify(fresh), 0o600, exists);
    creds = (await readBundle(bundleFile)) ?? fresh;
  }
  const certFile = join(dir, CERT_PEM);
  const current = await readFile(certFile, "utf8").catch(() => "");
  if (current !== creds.cert) await writeAtomically(certFile, creds.cert, 0o644, true);
  return { ...creds, certFile };
}
