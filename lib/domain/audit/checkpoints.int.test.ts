import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { makeOrg, withTempAuditKeys } from "@/lib/test/fixtures";
import { readText } from "@/lib/test/streams";
import { createTeam } from "../teams/create-team";
import { checkpointSignatureValid, publicKeysOf } from "./checkpoint-format";
import { restartCheckpointSigner, signCheckpoint, unknownCheckpointKeys } from "./checkpoints";
import { exportAuditEvents } from "./export-audit-events";
import { exportDigest, linesDigest } from "./export-format";
import { auditHash } from "./hash";
import { lastCheckpointFile } from "./key-dir";
import { createKeyFile, publishedKeys, reloadSigningKeys } from "./signing-keys";
import { verifyAuditChain } from "./verify-audit-chain";
import { verifyAuditExport } from "./verify-export";

// Someone who can write to the database rewrites history and recomputes every hash: only the signatures, made with
// a key kept outside the database, give it away. So does cutting off the tail.

const keyDir = withTempAuditKeys();

async function exportLines(admin: Awaited<ReturnType<typeof makeOrg>>["admin"]) {
  const exported = await exportAuditEvents(admin, {}, { format: "ndjson" });
  const text = await readText(exported.chunks);
  return text.trimEnd().split("\n");
}

/** A trailer's `lines` over these lines, as linesDigest computes it. */
function digestOfLines(lines: string[]) {
  const d = linesDigest();
  for (const l of lines) d.add(l);
  return d.hex();
}

/** An export without its checkpoint lines, its trailer's `lines` made to agree (no key needed for that). */
function withoutCheckpoints(lines: string[]) {
  const body = lines.slice(0, -1).filter((l) => !l.includes('"record":"checkpoint"'));
  return [...body, JSON.stringify({ ...JSON.parse(lines[lines.length - 1]), lines: digestOfLines(body) })];
}

/** Rewrites the event at `position` (its reason) and recomputes its hash and every later one, and the chain head. */
async function rewriteFrom(position: bigint) {
  const rows = await db().auditEvent.findMany({ where: { position: { gte: position } }, orderBy: { position: "asc" } });
  let prevHash = rows[0].prevHash;
  for (const [i, r] of rows.entries()) {
    const e = { ...r, reason: i === 0 ? "nothing happened here" : r.reason, prevHash };
    const hash = auditHash(e as never);
    await db().auditEvent.update({ where: { position: r.position }, data: { reason: e.reason, prevHash, hash } });
    prevHash = hash;
  }
  await db().auditChainHead.update({ where: { id: 1 }, data: { hash: prevHash } });
}

describe("signed audit checkpoints", () => {
  it("sign the head under a key outside the database; exports carry them and verify with the published keys", async () => {
    const org = await makeOrg();
    const first = await signCheckpoint({ force: true });
    expect(first).toMatchObject({ keyId: expect.stringMatching(/^ed25519-[0-9a-f]{16}$/) });
    expect(await signCheckpoint({ force: true })).toBeNull(); // the head has not moved
    await createTeam(org.admin, {}, { slug: `cp-${org.tag}`, name: "Checkpointed" });
    const second = await signCheckpoint({ force: true });
    expect(BigInt(second!.position)).toBeGreaterThan(BigInt(first!.position));
    expect(fs.readdirSync(keyDir).filter((f) => f.endsWith(".pem"))).toHaveLength(1);

    const keys = publicKeysOf(publishedKeys());
    const lines = await exportLines(org.admin);
    expect(verifyAuditExport(lines, { keys })).toMatchObject({ intact: true, checkpoints: 2, signatures: "verified" });
    expect(verifyAuditExport(lines)).toMatchObject({ intact: true, signatures: "not checked" });

    // A rotated key signs from now on; the old checkpoints still verify, since every public key stays published.
    createKeyFile(keyDir);
    reloadSigningKeys();
    await createTeam(org.admin, {}, { slug: `cp2-${org.tag}`, name: "Rotated" });
    const third = await signCheckpoint({ force: true });
    expect(third!.keyId).not.toBe(first!.keyId);
    const rotated = await exportLines(org.admin);
    expect(verifyAuditExport(rotated, { keys: publicKeysOf(publishedKeys()) })).toMatchObject({
      intact: true,
      checkpoints: 3,
    });
    // Given only the old key, what the new one signed is refused: the export's header first, then the new checkpoint.
    expect(verifyAuditExport(rotated, { keys })).toMatchObject({
      intact: false,
      message: expect.stringContaining("another key"),
    });
    expect(checkpointSignatureValid(third!, keys)).toBe(false);
    expect(checkpointSignatureValid(third!, publicKeysOf(publishedKeys()))).toBe(true);

    // A server without the old key file (an instance with a key set of its own, or a file removed) is told at start.
    expect(await unknownCheckpointKeys()).toEqual([]);
    const [oldFile] = fs.readdirSync(keyDir).sort();
    fs.renameSync(path.join(keyDir, oldFile), path.join(keyDir, `${oldFile}.away`));
    reloadSigningKeys();
    try {
      expect(await unknownCheckpointKeys()).toEqual([first!.keyId]);
    } finally {
      fs.renameSync(path.join(keyDir, `${oldFile}.away`), path.join(keyDir, oldFile));
      reloadSigningKeys();
    }
  });

  it("with keys, an export verifies only whole: its signed header names its head and filters, so a file cut short (even to a signed checkpoint) or given filters is seen", async () => {
    const org = await makeOrg();
    const forced = await signCheckpoint({ force: true });
    for (const n of [1, 2, 3]) await createTeam(org.admin, {}, { slug: `cut${n}-${org.tag}`, name: `Cut ${n}` });
    const keys = publicKeysOf(publishedKeys());
    const lines = await exportLines(org.admin);
    expect(verifyAuditExport(lines, { keys })).toMatchObject({ intact: true });
    const header = JSON.parse(lines[0]);
    const trailer = JSON.parse(lines[lines.length - 1]);
    const events = lines.filter((l) => !l.includes('"record"')).map((l) => JSON.parse(l));
    // Whoever hands the file over drops its last events and every checkpoint past what they keep, and makes the
    // header, the trailer and its digest agree again (none of which needs a key): cut anywhere, or exactly at a
    // checkpoint the server signed.
    const cutAt = (position: bigint) => {
      const keep = events.filter((e) => BigInt(e.position) <= position);
      const last = keep[keep.length - 1];
      const head = { position: last.position, hash: last.hash };
      const digest = exportDigest();
      for (const e of keep) digest.add(e.position, e.hash);
      const body = [
        JSON.stringify({ ...header, head }),
        ...lines
          .filter((l) => l.includes('"record":"checkpoint"'))
          .filter((l) => BigInt(JSON.parse(l).position) <= position),
        ...keep.map((e) => JSON.stringify(e)),
      ];
      return [
        ...body,
        JSON.stringify({
          ...trailer,
          head,
          count: keep.length,
          lastPosition: last.position,
          digest: digest.hex(),
          lines: digestOfLines(body),
        }),
      ];
    };
    const lastPosition = BigInt(events[events.length - 1].position);
    for (const cut of [cutAt(lastPosition - 3n), cutAt(BigInt(forced!.position))]) {
      // The chain alone cannot tell: it is whole, as far as it goes.
      expect(verifyAuditExport(cut)).toMatchObject({ intact: true });
      expect(verifyAuditExport(cut, { keys })).toMatchObject({
        intact: false,
        message: expect.stringContaining("header's signature does not verify"),
      });
    }
    // Filters added to the header would pass events off as left out: the signature covers them too.
    const filtered = [JSON.stringify({ ...header, filters: { action: "team.created" } }), ...lines.slice(1)];
    expect(verifyAuditExport(filtered, { keys })).toMatchObject({ intact: false });
    // A header without a signature (a version 2 export from before) verifies without the keys only.
    const { keyId: _k, signature: _s, ...unsigned } = header;
    const { lines: _l, keyId: _tk, signature: _ts, ...unsignedTrailer } = trailer;
    const old = [JSON.stringify({ ...unsigned, version: 2 }), ...lines.slice(1, -1), JSON.stringify(unsignedTrailer)];
    expect(verifyAuditExport(old)).toMatchObject({ intact: true });
    expect(verifyAuditExport(old, { keys })).toMatchObject({
      intact: false,
      message: expect.stringContaining("not signed"),
    });
  });

  it("with keys, a filtered export verifies only as exported: an included event edited up to a skipped run, its checkpoints dropped, is seen by the signed trailer", async () => {
    const org = await makeOrg();
    await signCheckpoint({ force: true });
    for (const n of [1, 2, 3])
      await createTeam(org.admin, {}, { slug: `fx${n}-${org.tag}`, name: n === 2 ? "Left out" : `Kept ${n}` });
    const keys = publicKeysOf(publishedKeys());
    const exported = await exportAuditEvents(org.admin, {}, { format: "ndjson", action: "team.created" });
    const lines = (await readText(exported.chunks)).trimEnd().split("\n");
    expect(verifyAuditExport(lines, { keys })).toMatchObject({ intact: true, skipped: expect.any(String) });
    // Edit it, recompute its hash, drop every checkpoint, and make the trailer agree: none of it needs a key.
    const records = lines.map((l) => JSON.parse(l));
    // An included event that a skipped run follows: nothing links to its hash but that run's stated end hash.
    const at = records.findIndex((r, i) => !("record" in r) && records[i + 1]?.record === "skipped");
    expect(at).toBeGreaterThan(0);
    const edited = { ...records[at], reason: "nothing to see" };
    edited.hash = auditHash(edited);
    const forged = records
      .map((r, i) => (i === at ? edited : r))
      .filter((r) => r.record !== "checkpoint" && r.record !== "trailer");
    const trailer = records[records.length - 1];
    const digest = exportDigest();
    for (const r of forged) if (!("record" in r)) digest.add(r.position, r.hash);
    const body = forged.map((r) => JSON.stringify(r));
    const file = [...body, JSON.stringify({ ...trailer, digest: digest.hex(), lines: digestOfLines(body) })];
    // Without the keys the file is consistent; with them, the trailer's signature gives it away.
    expect(verifyAuditExport(file)).toMatchObject({ intact: true });
    expect(verifyAuditExport(file, { keys })).toMatchObject({
      intact: false,
      message: expect.stringContaining("trailer's signature"),
    });
    // Nor can it pass for a version 2 file (whose trailer is not signed): the header's signature covers the version.
    const downgraded = [JSON.stringify({ ...records[0], version: 2 }), ...file.slice(1)];
    expect(verifyAuditExport(downgraded, { keys })).toMatchObject({
      intact: false,
      message: expect.stringContaining("header's signature"),
    });
    // A number JSON cannot hold gets a verdict, not a crash.
    const huge = lines.map((l, i) => (i === at ? l.replace('"after":{', '"after":{"n":1e999,') : l));
    expect(huge[at]).toContain("1e999");
    expect(verifyAuditExport(huge)).toMatchObject({ intact: false });
  });

  it("refuse to sign while the file remembering the last checkpoint is unreadable, naming it; sign again once it is", async () => {
    const org = await makeOrg();
    await signCheckpoint({ force: true });
    const file = lastCheckpointFile();
    expect(path.dirname(file)).toBe(keyDir);
    const kept = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, "{not json");
    restartCheckpointSigner();
    await createTeam(org.admin, {}, { slug: `unread-${org.tag}`, name: "Unreadable memory" });
    const before = await db().auditCheckpoint.count();
    await expect(signCheckpoint({ force: true })).rejects.toMatchObject({
      code: "checkpoint_refused",
      message: expect.stringContaining(path.basename(file)),
    });
    expect(await db().auditCheckpoint.count()).toBe(before);
    fs.writeFileSync(file, kept);
    restartCheckpointSigner();
    expect(await signCheckpoint({ force: true })).toMatchObject({ position: expect.any(String) });
  });

  // Last: it leaves the trail rewritten and cut.
  it("report a rewrite with every later hash recomputed, a forged checkpoint, and a truncated tail", async () => {
    const org = await makeOrg();
    const signed = await signCheckpoint({ force: true });
    await createTeam(org.admin, {}, { slug: `late-${org.tag}`, name: "After the checkpoint" });
    const keys = publicKeysOf(publishedKeys());
    const at = BigInt(signed!.position);

    // Rewritten before the checkpoint, every hash after it recomputed: the chain itself is consistent again…
    await rewriteFrom(at - 3n);
    const rewritten = await exportLines(org.admin);
    expect(verifyAuditExport(withoutCheckpoints(rewritten))).toMatchObject({
      intact: true,
    });
    // …but not with the signed checkpoint: offline, and the server's own check (the Audit page's badge).
    expect(await verifyAuditChain()).toMatchObject({
      intact: false,
      break: { position: signed!.position, reason: "checkpoint_mismatch" },
    });
    expect(verifyAuditExport(rewritten, { keys })).toMatchObject({
      intact: false,
      position: signed!.position,
      message: expect.stringContaining("rewritten"),
    });
    // Rewriting the checkpoint's hash too: its signature no longer verifies.
    const newHash = (await db().auditEvent.findUniqueOrThrow({ where: { position: at } })).hash;
    await db().auditCheckpoint.update({ where: { position: at }, data: { hash: newHash } });
    expect(verifyAuditExport(await exportLines(org.admin), { keys })).toMatchObject({
      intact: false,
      position: signed!.position,
      message: expect.stringContaining("signature"),
    });
    expect((await verifyAuditChain()).break).toEqual({ position: signed!.position, reason: "checkpoint_mismatch" });
    // Nor does the server sign the rewritten chain: the event it last signed no longer carries the signed hash.
    await db().auditCheckpoint.deleteMany({});
    await expect(signCheckpoint({ force: true })).rejects.toMatchObject({ code: "checkpoint_refused" });
    await expect(signCheckpoint({ at: BigInt(signed!.position) + 1n })).rejects.toMatchObject({
      code: "checkpoint_refused",
    });
    expect(await db().auditCheckpoint.count()).toBe(0);
    // A restart does not forget what it signed (the file beside the keys, out of the database writers' reach)…
    restartCheckpointSigner();
    await expect(signCheckpoint({ force: true })).rejects.toMatchObject({ code: "checkpoint_refused" });
    expect(await db().auditCheckpoint.count()).toBe(0);
    // …an operator removing that file does (after restoring the database from a backup, say).
    fs.rmSync(lastCheckpointFile());
    restartCheckpointSigner();

    // A truncated tail: events after a signed checkpoint deleted and the head set back.
    await db().auditCheckpoint.deleteMany({});
    await createTeam(org.admin, {}, { slug: `tail-${org.tag}`, name: "Tail" });
    const tail = await signCheckpoint({ force: true });
    const keep = BigInt(tail!.position) - 2n;
    const kept = await db().auditEvent.findUniqueOrThrow({ where: { position: keep } });
    await db().auditEvent.deleteMany({ where: { position: { gt: keep } } });
    await db().auditChainHead.update({ where: { id: 1 }, data: { position: keep, hash: kept.hash } });
    expect((await verifyAuditChain()).break).toEqual({ position: String(keep + 1n), reason: "missing_position" });
    const truncated = await exportLines(org.admin);
    expect(verifyAuditExport(truncated, { keys })).toMatchObject({
      intact: false,
      position: tail!.position,
      message: expect.stringContaining("truncated tail"),
    });
  });

  // After the last: the trail is already rewritten; the operator's reset, then a cut made to look like retention.
  it("take a start a database writer set past the last checkpoint, its events deleted, for a cut, not retention", async () => {
    const org = await makeOrg();
    fs.rmSync(lastCheckpointFile(), { force: true });
    restartCheckpointSigner();
    const signed = await signCheckpoint({ force: true });
    for (const n of [1, 2]) await createTeam(org.admin, {}, { slug: `cut${n}-${org.tag}`, name: `After ${n}` });
    const at = BigInt(signed!.position) + 1n;
    const { hash } = await db().auditEvent.findUniqueOrThrow({ where: { position: at } });
    await db().auditEvent.deleteMany({ where: { position: { lte: at } } });
    await db().auditBase.upsert({
      where: { id: 1 },
      create: { id: 1, position: at, hash },
      update: { position: at, hash },
    });
    const before = await db().auditCheckpoint.count();
    await expect(signCheckpoint({ force: true })).rejects.toMatchObject({ code: "checkpoint_refused" });
    expect(await db().auditCheckpoint.count()).toBe(before);
  });
});
