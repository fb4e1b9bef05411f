import { expect, test } from "@playwright/test";
import { publicKeysOf } from "../../lib/domain/audit/checkpoint-format";
import { verifyAuditExport } from "../../lib/domain/audit/verify-export";
import { tokenFor } from "../fixtures";

// Signed checkpoints over HTTP: the public keys (anyone), signing now (admins), the list (auditors), and an export
// that carries them and verifies offline against the published keys.

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test("the chain head is signed under a published key; an export carries the checkpoints and verifies with the keys", async ({
  request,
  browser,
}) => {
  const [admin, auditor, viewer] = await Promise.all([
    tokenFor(browser, "admin"),
    tokenFor(browser, "auditor"),
    tokenFor(browser, "viewer"),
  ]);
  const keySet = await (await request.get("/.well-known/acp-audit-keys.json")).json();
  expect(keySet.keys[0]).toMatchObject({ alg: "Ed25519", keyId: expect.stringMatching(/^ed25519-/) });
  const keys = publicKeysOf(keySet);
  expect(keys.size).toBe(keySet.keys.length);

  expect((await request.post("/api/v1/audit/checkpoints", { headers: bearer(auditor) })).status()).toBe(403);
  const signed = await request.post("/api/v1/audit/checkpoints", { headers: bearer(admin) });
  expect(signed.status()).toBe(200);
  expect((await request.get("/api/v1/audit/checkpoints", { headers: bearer(viewer) })).status()).toBe(403);
  const list = await (await request.get("/api/v1/audit/checkpoints?limit=5", { headers: bearer(auditor) })).json();
  expect(list.items.length).toBeGreaterThan(0);
  expect(list.items[0]).toMatchObject({ keyId: keySet.keys[0].keyId, signature: expect.any(String) });
  // A position past PostgreSQL's bigint is refused as a bad query, not passed on to the database (500).
  const beyond = await request.get("/api/v1/audit/checkpoints?before=9999999999999999999", {
    headers: bearer(auditor),
  });
  expect(beyond.status()).toBe(422);

  const exported = await request.get("/api/v1/audit/export?format=ndjson", { headers: bearer(auditor) });
  expect(exported.status()).toBe(200);
  const lines = (await exported.text()).trimEnd().split("\n");
  const verdict = verifyAuditExport(lines, { keys });
  expect(verdict).toMatchObject({ intact: true, signatures: "verified" });
  expect(verdict.intact && verdict.checkpoints).toBeGreaterThan(0);
  // A checkpoint line with a forged signature is refused.
  const i = lines.findIndex((l) => l.includes('"record":"checkpoint"'));
  const forged = JSON.parse(lines[i]);
  forged.signature = Buffer.from("x".repeat(64)).toString("base64url");
  const tampered = lines.map((l, j) => (j === i ? JSON.stringify(forged) : l));
  expect(verifyAuditExport(tampered, { keys })).toMatchObject({ intact: false, position: forged.position });
});
