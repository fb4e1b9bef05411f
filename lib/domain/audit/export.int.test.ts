import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { createAgentKey } from "../keys/create-agent-key";
import { exportAuditEvents } from "./export-audit-events";
import { listAuditEvents } from "./queries";

const verify = (file: string) => spawnSync(process.execPath, ["--import", "tsx", "scripts/verify-audit-export.ts", file], { encoding: "utf8" });

describe("audit export", () => {
  it("exports filtered events with every hashed field, is audited, leaks no secrets, and verifies offline", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `exp-${org.tag}`));
    const key = await createAgentKey(org.admin, {}, agent.id, { name: "secret holder" });

    await expect(exportAuditEvents(org.viewer, {}, {})).rejects.toMatchObject({ kind: "forbidden" });
    const filtered = await exportAuditEvents(org.auditor, { requestId: "exp-1" }, { agentId: agent.id, format: "ndjson" });
    const rows = [];
    for await (const page of filtered.pages) rows.push(...page);
    expect(rows.map((r) => r.action)).toEqual(["agent.registered", "key.created"]);
    const listed = await listAuditEvents(org.auditor, { agentId: agent.id });
    expect(listed.items.map((e) => String(e.position)).reverse()).toEqual(rows.map((r) => r.position));
    expect(await db().auditEvent.count({ where: { action: "audit.exported", actorId: org.auditor.id } })).toBe(1);

    const full = await exportAuditEvents(org.auditor, {}, { format: "ndjson" });
    const lines: string[] = [];
    for await (const page of full.pages) for (const r of page) lines.push(JSON.stringify(r));
    const text = lines.join("\n");
    const keyRow = await db().agentKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(text).not.toContain(key.token);
    expect(text).not.toContain(keyRow.hash);
    expect(text).not.toMatch(/\$argon2/);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acp-export-"));
    try {
      const file = path.join(dir, "audit.ndjson");
      fs.writeFileSync(file, `${text}\n`);
      const ok = verify(file);
      expect(ok.status, ok.stdout + ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(new RegExp(`INTACT: ${lines.length} events`));

      const tampered = lines.map((l, i) => (i === 3 ? l.replace('"success"', '"failure"') : l));
      fs.writeFileSync(file, `${tampered.join("\n")}\n`);
      const bad = verify(file);
      expect(bad.status).toBe(1);
      expect(bad.stdout).toContain(`BROKEN at position ${JSON.parse(lines[3]).position}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
