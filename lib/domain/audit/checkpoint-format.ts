import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";
import canonicalize from "canonicalize";

/**
 * A signed checkpoint of the audit chain: "at `position` the chain's hash was `hash`", signed at `signedAt` with the
 * Ed25519 key `keyId`. The signature is over the canonical JSON (RFC 8785) of the payload below, which names its own
 * format so a signature made for anything else never verifies as a checkpoint. Pure (no database, no files), so the
 * offline verifier uses exactly this.
 */
export type Checkpoint = { position: string; hash: string; signedAt: string; keyId: string; signature: string };

/** What `/.well-known/acp-audit-keys.json` serves: each public key as base64 DER (SubjectPublicKeyInfo). */
export type PublicKeySet = { keys: { keyId: string; alg: "Ed25519"; publicKey: string; createdAt?: string }[] };

/** A stored checkpoint row as the API and exports give it. */
export const checkpointView = (c: {
  position: bigint;
  hash: string;
  signedAt: Date;
  keyId: string;
  signature: string;
}): Checkpoint => ({
  position: String(c.position),
  hash: c.hash,
  signedAt: c.signedAt.toISOString(),
  keyId: c.keyId,
  signature: c.signature,
});

export const CHECKPOINT_FORMAT = "acp-audit-checkpoint";

export function checkpointPayload(c: Omit<Checkpoint, "signature">): Buffer {
  return Buffer.from(
    canonicalize({
      format: CHECKPOINT_FORMAT,
      version: 1,
      position: c.position,
      hash: c.hash,
      signedAt: c.signedAt,
      keyId: c.keyId,
    }) ?? "",
  );
}

/** A key's id: "ed25519-" and the first 16 hex digits of the SHA-256 of its public key (DER). */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return `ed25519-${createHash("sha256").update(der).digest("hex").slice(0, 16)}`;
}

/** The keys of a published key set, by id (a key whose id does not match its bytes is left out). */
export function publicKeysOf(set: PublicKeySet): Map<string, KeyObject> {
  const out = new Map<string, KeyObject>();
  for (const k of set?.keys ?? []) {
    try {
      const key = createPublicKey({ key: Buffer.from(k.publicKey, "base64"), format: "der", type: "spki" });
      if (key.asymmetricKeyType === "ed25519" && keyIdOf(key) === k.keyId) out.set(k.keyId, key);
    } catch {
      /* not a key: left out, so checkpoints signed with it do not verify */
    }
  }
  return out;
}

/** Whether a signature over `payload` by `keyId` is valid under one of `keys`. */
function signatureValid(payload: () => Buffer, keyId: unknown, signature: unknown, keys: Map<string, KeyObject>) {
  const key = typeof keyId === "string" ? keys.get(keyId) : undefined;
  if (!key || typeof signature !== "string") return false;
  try {
    return verify(null, payload(), key, Buffer.from(signature, "base64url"));
  } catch {
    return false;
  }
}

/** Whether a checkpoint's signature is valid under one of `keys`. */
export function checkpointSignatureValid(c: Checkpoint, keys: Map<string, KeyObject>): boolean {
  return signatureValid(() => checkpointPayload(c), c.keyId, c.signature, keys);
}

/**
 * An export's header as signed when the export is made: "this export, of these filters, was cut at this chain head at
 * this time". With the chain's hashes it covers every line up to the head, so a file cut short (to any earlier
 * position, signed or not), or given other filters, no longer verifies with the keys.
 */
export type SignedExportHeader = {
  exportedAt: string;
  filters: Record<string, string>;
  head: { position: string; hash: string };
  keyId: string;
  signature: string;
};

export const EXPORT_HEADER_FORMAT = "acp-audit-export-header";

/**
 * What an export header's signature covers. From export version 3 the export's version too: a file passed off as an
 * older version (whose trailer is not signed) no longer verifies.
 */
export function exportHeaderPayload(h: Omit<SignedExportHeader, "signature"> & { version?: unknown }): Buffer {
  return Buffer.from(
    canonicalize({
      format: EXPORT_HEADER_FORMAT,
      version: 1,
      ...(typeof h.version === "number" && h.version >= 3 ? { exportVersion: h.version } : {}),
      exportedAt: h.exportedAt,
      filters: h.filters,
      head: { position: h.head.position, hash: h.head.hash },
      keyId: h.keyId,
    }) ?? "",
  );
}

export const EXPORT_TRAILER_FORMAT = "acp-audit-export-trailer";

/** What a version 3 trailer's signature covers: the export (its time and head) and the digest of every line before it. */
export type SignedExportTrailer = {
  exportedAt: string;
  head: { position: string; hash: string };
  lines: string;
  keyId: string;
  signature: string;
};

export function exportTrailerPayload(t: Omit<SignedExportTrailer, "signature">): Buffer {
  return Buffer.from(
    canonicalize({
      format: EXPORT_TRAILER_FORMAT,
      version: 1,
      exportedAt: t.exportedAt,
      head: { position: t.head.position, hash: t.head.hash },
      lines: t.lines,
      keyId: t.keyId,
    }) ?? "",
  );
}

/** Whether a version 3 trailer's signature is valid under one of `keys`. */
export function exportTrailerSignatureValid(t: SignedExportTrailer, keys: Map<string, KeyObject>): boolean {
  return signatureValid(() => exportTrailerPayload(t), t.keyId, t.signature, keys);
}

/** Whether an export header's signature is valid under one of `keys`. */
export function exportHeaderSignatureValid(
  h: SignedExportHeader & { version?: unknown },
  keys: Map<string, KeyObject>,
): boolean {
  return signatureValid(() => exportHeaderPayload(h), h.keyId, h.signature, keys);
}
