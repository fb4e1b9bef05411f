import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg, withTempAuditKeys } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { createBudget } from "../budgets/create-budget";
import { createAgentKey } from "../keys/create-agent-key";
import { publicKeysOf } from "./checkpoint-format";
import { evidencePack } from "./evidence-pack";
import { verifyAuditExport } from "./verify-export";

withTempAuditKeys();

const DAY = 86_400_000;

async function unzip(chunks: AsyncIterable<Uint8Array>) {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  const files = unzipSync(Buffer.concat(parts));
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, Buffer.from(data)]));
}

describe("evidence pack", () => {
  it("is one zip an auditor checks without the product: verified trail, keys, changes, people, manifest", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `ev-${org.tag}`));
    await createAgentKey(org.admin, {}, agent.id, { name: "runtime" });
    await createBudget(
      org.admin,
      {},
      {
        name: `ev budget ${org.tag}`,
        scope: "agent",
        agentId: agent.id,
        period: "month",
        limitUsd: 25,
      },
    );
    const from = new Date(Date.now() - 30 * DAY);
    const to = new Date(Date.now() + 60_000);

    const pack = await evidencePack(org.auditor, { requestId: "ev-1" }, { from, to });
    expect(pack.filename).toMatch(/^acp-evidence-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.zip$/);
    const files = await unzip(pack.chunks);
    expect(Object.keys(files).sort()).toEqual(
      [
        "README.md",
        "acp-audit-keys.json",
        "audit.ndjson",
        "budget-changes.csv",
        "change-management.csv",
        "config-versions.ndjson",
        "credentials.csv",
        "decisions-daily.csv",
        "deployments.csv",
        "manifest.json",
        "oversight-and-incidents.csv",
        "people-and-roles.csv",
        "people.csv",
        "permission-changes.csv",
        "spend-focus.csv",
        "verification.txt",
      ].sort(),
    );

    // The report says INTACT with signatures checked, and the pack's own trail and keys verify it independently.
    const report = files["verification.txt"]?.toString() ?? "";
    // The pack's trail is the period's: the events outside it are skipped, and the verdict says so first.
    expect(report).toMatch(
      /^INTACT: FILTERED \(from=[^,]+, to=[^)]+\): \d+ position\(s\) outside the filter taken on trust as skipped, not verified; \d+ events verified, .*[1-9]\d* signed checkpoint\(s\), signatures verified/,
    );
    const keys = publicKeysOf(JSON.parse(files["acp-audit-keys.json"].toString()));
    const verdict = verifyAuditExport(files["audit.ndjson"].toString(), { keys });
    expect(verdict).toMatchObject({ intact: true, signatures: "verified" });
    // Making the pack is the trail's last event, by the auditor.
    const lines = files["audit.ndjson"].toString().trimEnd().split("\n");
    const events = lines.map((l) => JSON.parse(l)).filter((r) => !r.record);
    expect(events.at(-1)).toMatchObject({ action: "audit.evidence_exported", actorId: org.auditor.id });
    // The pack signs its own head, so the signatures cover its trail to the end.
    const records = lines.map((l) => JSON.parse(l));
    const header = records.find((r) => r.record === "header");
    expect(records.filter((r) => r.record === "checkpoint").at(-1)?.position).toBe(header.head.position);

    // The manifest lists every other file with its size and SHA-256.
    const manifest = JSON.parse(files["manifest.json"].toString());
    expect(manifest).toMatchObject({ format: "acp-evidence-pack", verification: report.trim() });
    expect(manifest.files.map((f: { name: string }) => f.name).sort()).toEqual(
      Object.keys(files)
        .filter((n) => n !== "manifest.json")
        .sort(),
    );
    for (const f of manifest.files) {
      expect(f.bytes).toBe(files[f.name].length);
      expect(f.sha256).toBe(createHash("sha256").update(files[f.name]).digest("hex"));
    }

    // The change files hold what happened, each row citing its position in the verified trail.
    const csv = (name: string) => parse(files[name].toString(), { columns: true }) as Record<string, string>[];
    const positions = new Map(events.map((e) => [e.position, e]));
    const changes = csv("change-management.csv");
    const registered = changes.find((r) => r.action === "agent.registered" && r.agentId === agent.id);
    expect(registered).toBeDefined();
    expect(positions.get(registered?.position)).toMatchObject({ action: "agent.registered", agentId: agent.id });
    expect(csv("credentials.csv").some((r) => r.action === "key.created" && r.agentId === agent.id)).toBe(true);
    expect(csv("budget-changes.csv").some((r) => r.action === "budget.created")).toBe(true);
    expect(
      csv("people-and-roles.csv").some((r) => r.action === "user.created" && r.after.includes(org.lead.label)),
    ).toBe(true);
    expect(csv("people-and-roles.csv").every((r) => r.action !== "user.signed_in")).toBe(true);
    const deployments = csv("deployments.csv").filter((d) => d.agent === agent.slug);
    expect(deployments).toMatchObject([{ version: "1", kind: "deploy", deployedBy: org.admin.label }]);
    const versions = files["config-versions.ndjson"]
      .toString()
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(versions.find((v) => v.agent === agent.slug)).toMatchObject({
      version: 1,
      config: { model: "gpt-5-mini", tools: ["github.create_issue"] },
    });
    expect(csv("people.csv").find((p) => p.email === org.lead.label)).toMatchObject({
      role: "team_lead",
      teams: org.team.name,
      status: "active",
    });
    const readme = files["README.md"].toString();
    for (const control of ["Art. 12(2)(a)", "Art. 12(2)(b)", "Art. 12(2)(c)", "CC6.1", "CC7.2", "CC8.1"])
      expect(readme).toContain(control);
    expect(readme).toContain(report.trim());
  });

  it("is for auditors and admins only, refuses a bad period, and writes nothing when refused", async () => {
    const org = await makeOrg();
    const count = () => db().auditEvent.count({ where: { action: "audit.evidence_exported" } });
    const before = await count();
    const period = { from: new Date(Date.now() - DAY), to: new Date() };
    for (const who of [org.viewer, org.lead])
      await expect(evidencePack(who, {}, period)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(evidencePack(org.admin, {}, { from: period.to, to: period.from })).rejects.toBeInstanceOf(ZodError);
    await expect(
      evidencePack(org.admin, {}, { from: new Date(Date.now() - 401 * DAY), to: new Date() }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(evidencePack(org.admin, {}, { from: "yesterday", to: "today" })).rejects.toBeInstanceOf(ZodError);
    expect(await count()).toBe(before);
  });
});
