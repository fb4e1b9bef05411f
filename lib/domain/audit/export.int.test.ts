import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import canonicalize from "canonicalize";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { toJson } from "@/lib/http/json";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { readText } from "@/lib/test/streams";
import { registerAgent } from "../agents/register-agent";
import { suspendAgent } from "../agents/set-agent-status";
import { createAgentKey } from "../keys/create-agent-key";
import { exportAuditEvents } from "./export-audit-events";
import { type ExportRecord, isEventRecord } from "./export-format";
import { getAuditEvent, listAuditEvents } from "./queries";
import { verifyAuditExport } from "./verify-export";

const verifyCli = (file: string) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/verify-audit-export.ts", file], { encoding: "utf8" });

/** The NDJSON body exactly as the route streams it, as lines. */
async function ndjson(exported: Awaited<ReturnType<typeof exportAuditEvents>>) {
  const text = await readText(exported.chunks);
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n");
}

const records = (lines: string[]) => lines.map((l) => JSON.parse(l) as ExportRecord);
const eventIndexes = (lines: string[]) => records(lines).flatMap((r, i) => (isEventRecord(r) ? [i] : []));
const positionAt = (lines: string[], i: number) => (JSON.parse(lines[i]) as { position: string }).position;
const without = (lines: string[], i: number) => lines.filter((_, j) => j !== i);
const swap = (lines: string[], i: number, j: number) =>
  lines.map((l, k) => (k === i ? lines[j] : k === j ? lines[i] : l));

/** Every way to damage a file, checked for the position reported. */
function expectTamperingDetected(lines: string[]) {
  expect(verifyAuditExport(lines)).toMatchObject({ intact: true });
  const events = eventIndexes(lines);
  expect(events.length).toBeGreaterThanOrEqual(3);
  const [a, b] = [events[1], events[2]];
  for (const i of [events[0], a, events.at(-1)!]) {
    expect(verifyAuditExport(without(lines, i)), `deleting line ${i}`).toMatchObject({
      intact: false,
      position: positionAt(lines, i),
    });
  }
  expect(verifyAuditExport(swap(lines, a, b))).toMatchObject({
    intact: false,
    position: b === a + 1 ? positionAt(lines, a) : expect.any(String),
  });
  expect(verifyAuditExport([...lines.slice(0, b), lines[a], ...lines.slice(b)])).toMatchObject({ intact: false });
  expect(verifyAuditExport([...lines.slice(0, a + 1), lines[a], ...lines.slice(a + 1)])).toMatchObject({
    intact: false,
    position: positionAt(lines, a),
  });
  // truncated: the tail (trailer and last events) cut off
  expect(verifyAuditExport(lines.slice(0, events.at(-1)!))).toMatchObject({
    intact: false,
    message: expect.stringMatching(/truncated/),
  });
  expect(verifyAuditExport(lines.slice(0, -1))).toMatchObject({
    intact: false,
    message: expect.stringMatching(/truncated/),
  });
}

/** The README's recipe, from the item as given: drop `hash`, RFC 8785, SHA-256. */
const recomputed = ({ hash: _hash, ...hashed }: Record<string, unknown>) =>
  createHash("sha256").update(canonicalize(hashed)!).digest("hex");

describe("audit items hash as returned", () => {
  it("list and single-event API items and export lines recompute to their hash as they are", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `asis-${org.tag}`));
    await suspendAgent(org.admin, { requestId: "r-1", ip: "203.0.113.7" }, agent.id, { reason: "café ☕ loop" });
    // toJson is what the API route does to a handler's result before sending it
    const listed = toJson(await listAuditEvents(org.auditor, { agentId: agent.id })) as {
      items: Record<string, unknown>[];
    };
    expect(listed.items).toHaveLength(2);
    for (const item of listed.items) {
      expect(typeof item.position).toBe("string");
      expect(recomputed(item)).toBe(item.hash);
      const one = toJson(await getAuditEvent(org.auditor, String(item.position))) as Record<string, unknown>;
      expect(one).toEqual(item);
    }
    const lines = await ndjson(await exportAuditEvents(org.auditor, {}, { agentId: agent.id, format: "ndjson" }));
    const events = records(lines).filter(isEventRecord);
    expect(events).toHaveLength(2);
    for (const e of events) expect(recomputed(e)).toBe(e.hash);
  });
});

describe("audit export", () => {
  it("exports filtered events with every hashed field, is audited, leaks no secrets, and verifies offline", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `exp-${org.tag}`));
    const key = await createAgentKey(org.admin, {}, agent.id, { name: "secret holder" });

    await expect(exportAuditEvents(org.viewer, {}, {})).rejects.toMatchObject({ kind: "forbidden" });
    const filtered = await exportAuditEvents(
      org.auditor,
      { requestId: "exp-1" },
      { agentId: agent.id, format: "ndjson" },
    );
    const rows = records(await ndjson(filtered)).filter(isEventRecord);
    expect(rows.map((r) => r.action)).toEqual(["agent.registered", "key.created"]);
    const listed = await listAuditEvents(org.auditor, { agentId: agent.id });
    expect(listed.items.map((e) => e.position).reverse()).toEqual(rows.map((r) => r.position));
    expect(await db().auditEvent.count({ where: { action: "audit.exported", actorId: org.auditor.id } })).toBe(1);

    const lines = await ndjson(await exportAuditEvents(org.auditor, {}, { format: "ndjson" }));
    const text = lines.join("\n");
    const keyRow = await db().agentKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(text).not.toContain(key.token);
    expect(text).not.toContain(keyRow.hash);
    expect(text).not.toMatch(/\$argon2/);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acp-export-"));
    try {
      const file = path.join(dir, "audit.ndjson");
      fs.writeFileSync(file, `${text}\n`);
      const ok = verifyCli(file);
      expect(ok.status, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(new RegExp(`INTACT: ${eventIndexes(lines).length} events`));

      const tampered = lines.map((l, i) => (i === 4 ? l.replace('"success"', '"failure"') : l));
      fs.writeFileSync(file, `${tampered.join("\n")}\n`);
      const bad = verifyCli(file);
      expect(bad.status).toBe(1);
      expect(bad.stdout).toContain(`BROKEN at position ${positionAt(lines, 4)}`);

      fs.writeFileSync(file, `${without(lines, 5).join("\n")}\n`);
      const deleted = verifyCli(file);
      expect(deleted.status).toBe(1);
      expect(deleted.stdout).toContain(
        `BROKEN at position ${positionAt(lines, 5)}: position ${positionAt(lines, 5)} is missing`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a full export states its head and count and reports a deleted, moved, duplicated or cut line by position", async () => {
    const org = await makeOrg();
    await registerAgent(org.admin, {}, agentInput(org.team.id, `full-${org.tag}`));
    const exported = await exportAuditEvents(org.auditor, {}, { format: "ndjson" });
    const lines = await ndjson(exported);
    const [header, trailer] = [JSON.parse(lines[0]), JSON.parse(lines.at(-1)!)];
    expect(header).toMatchObject({ record: "header", format: "acp-audit-export", filters: {}, head: exported.head });
    expect(trailer).toMatchObject({
      record: "trailer",
      count: records(lines).filter(isEventRecord).length,
      firstPosition: "1",
      lastPosition: exported.head.position,
      head: exported.head,
    });
    expect(records(lines).some((r) => "record" in r && r.record === "skipped")).toBe(false);
    const last = await db().auditEvent.findUniqueOrThrow({ where: { position: BigInt(exported.head.position) } });
    expect(last).toMatchObject({ action: "audit.exported", hash: exported.head.hash });
    expectTamperingDetected(lines);
  });

  it("a filtered export accounts for the positions it leaves out, so a deleted line is still found", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `filt-${org.tag}`));
    await makeOrg(); // events in between that the filter leaves out
    await createAgentKey(org.admin, {}, agent.id, { name: "one" });
    await suspendAgent(org.admin, {}, agent.id, { reason: "filtered export test" });
    const exported = await exportAuditEvents(org.auditor, {}, { agentId: agent.id, format: "ndjson" });
    const lines = await ndjson(exported);
    const recs = records(lines);
    expect(recs[0]).toMatchObject({ record: "header", filters: { agentId: agent.id } });
    expect(recs.filter(isEventRecord).map((r) => r.action)).toEqual([
      "agent.registered",
      "key.created",
      "agent.suspended",
    ]);
    expect(recs.filter((r) => "record" in r && r.record === "skipped").length).toBeGreaterThanOrEqual(3);
    expect(recs.at(-1)).toMatchObject({ record: "trailer", count: 3 });
    expectTamperingDetected(lines);
  });

  it("a filtered export stops short (no trailer) when an event it leaves out is missing from the chain; excludeSignIns=false filters nothing", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `gap-${org.tag}`));
    await makeOrg(); // events the filter leaves out
    await suspendAgent(org.admin, {}, agent.id, { reason: "gap test" });
    const victim = await db().auditEvent.findFirstOrThrow({
      where: {
        agentId: null,
        position: { gt: (await db().auditEvent.findFirstOrThrow({ where: { agentId: agent.id } })).position },
      },
      orderBy: { position: "asc" },
    });
    await db().$executeRaw`DELETE FROM audit_events WHERE position = ${victim.position}`;
    try {
      const exported = await exportAuditEvents(org.auditor, {}, { agentId: agent.id, format: "ndjson" });
      await expect(ndjson(exported)).rejects.toThrow(/missing or unlinked/);
    } finally {
      await db().auditEvent.create({ data: victim as never });
    }
    // Asked with excludeSignIns=false, nothing is filtered: the header says so, and the verifier takes it as complete.
    const whole = await ndjson(await exportAuditEvents(org.auditor, {}, { excludeSignIns: "false", format: "ndjson" }));
    expect((records(whole)[0] as { filters: unknown }).filters).toEqual({});
    expect(verifyAuditExport(whole)).toMatchObject({ intact: true });
    // A filter that could paint the verifier's report (an escape sequence, a carriage return) is refused.
    for (const q of ["\u001b[2K\rINTACT", "a\u202eb"])
      await expect(exportAuditEvents(org.auditor, {}, { q, format: "ndjson" })).rejects.toMatchObject({
        name: "ZodError",
      });
  });
});
