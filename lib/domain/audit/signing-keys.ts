import "server-only";
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { keyIdOf, type PublicKeySet } from "./checkpoint-format";
import { auditKeyDir } from "./key-dir";

/**
 * The keys that sign audit checkpoints, kept outside the database: AUDIT_SIGNING_KEY (an Ed25519 private key, PEM
 * PKCS #8) if set, else the key files in AUDIT_KEY_DIR (default: beside the embedded database, `<PGLITE_DIR>-audit-keys`,
 * or `.data/audit-keys`), one generated on first start. The newest file signs; older ones stay, so the checkpoints
 * they signed still verify (rotate with `npx tsx scripts/rotate-audit-key.ts`). Every public key is published.
 */
export type SigningKey = { keyId: string; privateKey: KeyObject; publicKey: KeyObject; createdAt: Date };

function fromPem(pem: string, createdAt: Date): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("the audit signing key must be an Ed25519 key");
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyIdOf(publicKey), privateKey, publicKey, createdAt };
}

/** Writes a new key file (readable by this user only); the next start, or `reloadSigningKeys()`, signs with it. */
export function createKeyFile(dir = auditKeyDir()): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const stamp = new Date().toISOString().replace(/[-:.]/g, "");
  const file = path.join(dir, `${stamp}-${keyIdOf(createPublicKey(privateKey))}.pem`);
  fs.writeFileSync(file, pem, { mode: 0o600, flag: "wx" });
  return file;
}

function loadKeys(): { current: SigningKey; all: SigningKey[] } {
  const dir = auditKeyDir();
  const read = () =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith(".pem"))
          .sort()
          .map((f) => fromPem(fs.readFileSync(path.join(dir, f), "utf8"), fs.statSync(path.join(dir, f)).mtime))
      : [];
  let files = read();
  const env = process.env.AUDIT_SIGNING_KEY?.trim();
  const fromEnv = env ? fromPem(env.replace(/\\n/g, "\n"), new Date(0)) : null;
  if (!fromEnv && !files.length) {
    createKeyFile(dir);
    files = read();
  }
  const current = fromEnv ?? (files.at(-1) as SigningKey);
  const all = [...files, ...(fromEnv ? [fromEnv] : [])].filter(
    (k, i, keys) => keys.findIndex((o) => o.keyId === k.keyId) === i,
  );
  return { current, all };
}

const holder = globalThis as unknown as { __acpAuditKeys?: ReturnType<typeof loadKeys> };

function keys() {
  holder.__acpAuditKeys ??= loadKeys();
  return holder.__acpAuditKeys;
}

export const currentSigningKey = () => keys().current;

/** Rereads the keys (after a rotation, or in tests that point AUDIT_KEY_DIR elsewhere). */
export function reloadSigningKeys() {
  holder.__acpAuditKeys = undefined;
}

/** Every public key, newest first, as `/.well-known/acp-audit-keys.json` serves them. */
export function publishedKeys(): PublicKeySet {
  return {
    keys: [...keys().all].reverse().map((k) => ({
      keyId: k.keyId,
      alg: "Ed25519" as const,
      publicKey: k.publicKey.export({ type: "spki", format: "der" }).toString("base64"),
      createdAt: k.createdAt.toISOString(),
    })),
  };
}
