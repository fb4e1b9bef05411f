import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { authorizeAction } from "../decisions/authorize-action";
import { simulateDecision } from "../decisions/simulate-decision";
import { addPermissionRule } from "../permissions/add-permission-rule";
import { globMatch } from "../permissions/evaluate";
import { tidyName } from "../text";
import { createResource, listResources, updateResource } from "./catalogue";
import { resourceLineage, resourceLineageCsv, subjectLineage, TIDY_CLASS, touchedResources } from "./lineage";

// The catalogue classifies resources (the most sensitive entry wins, case ignored); rules match on classification;
// every decision keeps on whose behalf and on which version it ran; lineage per resource, person and agent against
// an independent count over the decisions.

const at = (hhmm: string) => new Date(`2026-11-30T${hhmm}:00Z`);
const read = (resource: string, extra: Record<string, unknown> = {}) => ({ action: "data:read", resource, ...extra });

async function text(chunks: AsyncIterable<string>) {
  let out = "";
  for await (const c of chunks) out += c;
  return out;
}

describe("resources and lineage", () => {
  it("catalogues resources: admins only, names and patterns unique (case ignored), audited", async () => {
    const org = await makeOrg();
    const input = {
      name: `Customers ${org.tag}`,
      pattern: `db:${org.tag}/customers*`,
      kind: "dataset",
      classification: "personal",
      ownerTeamId: org.other.id,
    };
    await expect(createResource(org.viewer, {}, input)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(createResource(org.lead, {}, input)).rejects.toMatchObject({ kind: "forbidden" });
    const r = await createResource(org.admin, {}, input);
    expect(r).toMatchObject({ classification: "personal", kind: "dataset", archivedAt: null });
    await expect(
      createResource(org.admin, {}, { ...input, name: input.name.toUpperCase(), pattern: "x" }),
    ).rejects.toMatchObject({ code: "resource_exists" });
    await expect(
      createResource(org.admin, {}, { ...input, name: "other", pattern: input.pattern.toUpperCase() }),
    ).rejects.toMatchObject({ code: "resource_exists" });
    await expect(
      createResource(org.admin, {}, { ...input, name: `n ${org.tag}`, pattern: `p:${org.tag}`, ownerTeamId: "nope" }),
    ).rejects.toMatchObject({ kind: "validation", details: { ownerTeamId: ["no such team"] } });
    await expect(
      createResource(org.admin, {}, { ...input, name: `n ${org.tag}`, classification: "secret" }),
    ).rejects.toThrow();
    // A lead does not learn another team's ownership.
    expect((await listResources(org.lead)).find((x) => x.id === r.id)?.ownerTeamId).toBeNull();
    expect((await listResources(org.viewer)).find((x) => x.id === r.id)?.ownerTeamId).toBe(org.other.id);
    await expect(updateResource(org.admin, {}, "nope", { archived: true })).rejects.toMatchObject({
      kind: "not_found",
    });
    const archived = await updateResource(org.admin, {}, r.id, { archived: true, classification: "confidential" });
    expect(archived.archivedAt).not.toBeNull();
    // Saved again unchanged: nothing written, nothing audited.
    expect(
      await updateResource(org.admin, {}, r.id, { archived: true, classification: "confidential", name: r.name }),
    ).toEqual(archived);
    expect((await listResources(org.admin)).some((x) => x.id === r.id)).toBe(false);
    const events = await db().auditEvent.findMany({ where: { targetId: r.id }, orderBy: { position: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["resource.created", "resource.updated"]);
    expect(events[1].before).toMatchObject({ classification: "personal" });
    expect(events[1].after).toMatchObject({ classification: "confidential" });
  });

  it("rules match the catalogue's classification: personal data needs approval outside business hours", async () => {
    const org = await makeOrg();
    const t = org.tag;
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `crm-${t}`));
    const rule = (r: Record<string, unknown>) => addPermissionRule(org.admin, {}, agent.id, r, { impact: false });
    await rule({
      effect: "allow",
      action: "data:read",
      resource: "*",
      classification: "personal",
      allowedHours: { from: "08:00", to: "18:00", timeZone: "UTC" },
    });
    await rule({
      effect: "allow",
      action: "data:read",
      resource: "*",
      classification: "personal",
      requiresApproval: true,
    });
    await rule({ effect: "deny", action: "data:read", resource: "*", classification: "confidential" });
    await rule({ effect: "allow", action: "data:read", resource: "*" });
    const customers = await createResource(
      org.admin,
      {},
      {
        name: `Customers ${t}`,
        pattern: `db:${t}/customers*`,
        kind: "dataset",
        classification: "personal",
      },
    );
    await createResource(
      org.admin,
      {},
      { name: `Warehouse ${t}`, pattern: `db:${t}/*`, kind: "system", classification: "internal" },
    );
    await createResource(
      org.admin,
      {},
      { name: `Finance ${t}`, pattern: `db:${t}/finance*`, kind: "dataset", classification: "confidential" },
    );

    const decide = async (resource: string, hhmm: string) => {
      const d = await authorizeAction(agent.id, {}, read(resource), at(hhmm));
      return [d.decision, d.code];
    };
    // Personal beats internal (the most sensitive entry counts); case cannot slip past the entry.
    expect(await decide(`db:${t}/customers/42`, "10:00")).toEqual(["allow", "allowed"]);
    expect(await decide(`db:${t}/customers/42`, "22:00")).toEqual(["pending", "approval_required"]);
    expect(await decide(`DB:${t.toUpperCase()}/Customers/42`, "22:00")).toEqual(["pending", "approval_required"]);
    // Nor can an invisible character or a space (a gateway that tidies names would read the customers table).
    for (const hidden of [`db:${t}/cust\u00ADomers/42`, `db:${t}/\u200Bcustomers/42`, `db:${t}/customers /42`])
      expect(await decide(hidden, "22:00")).toEqual(["pending", "approval_required"]);
    expect(await decide(`db:${t}/finance/q3`, "10:00")).toEqual(["deny", "rule_denied"]);
    // A more sensitive entry overlapping a denied one never lifts the deny (deny rules match any classification);
    // full-width letters fold to the entry they spell.
    await createResource(
      org.admin,
      {},
      {
        name: `Payroll ${t}`,
        pattern: `db:${t}/finance/payroll*`,
        kind: "dataset",
        classification: "personal",
      },
    );
    expect(await decide(`db:${t}/finance/payroll/7`, "10:00")).toEqual(["deny", "rule_denied"]);
    expect(await decide(`db:${t}/ｆｉｎａｎｃｅ/q3`, "10:00")).toEqual(["deny", "rule_denied"]);
    expect(await decide(`db:${t}/orders`, "22:00")).toEqual(["allow", "allowed"]);
    expect(await decide(`s3:${t}/anything`, "22:00")).toEqual(["allow", "allowed"]);
    // The simulator judges the same way, and says why a classified rule did not apply.
    const sim = await simulateDecision(org.admin, agent.id, { ...read(`db:${t}/finance/q3`), at: at("10:00") });
    expect(sim).toMatchObject({ decision: "deny", code: "rule_denied" });
    expect(sim.rules[0].why).toContain("is confidential");
    // Archived, the entry no longer classifies: the customers table is internal again.
    await updateResource(org.admin, {}, customers.id, { archived: true });
    expect(await decide(`db:${t}/customers/42`, "22:00")).toEqual(["allow", "allowed"]);
  });

  it("a resource's lineage folds names as its classification does: invisible characters and spaces dropped", async () => {
    // The SQL class and tidyName agree on every code point (Node's tables beside PostgreSQL's regular expressions).
    const all = Array.from({ length: 0x110000 }, (_, c) => c)
      .filter((c) => c > 0 && (c < 0xd800 || c > 0xdfff))
      .map((c) => String.fromCodePoint(c));
    const js = new Set(all.filter((c) => tidyName(c) === "" && c.normalize("NFKC") === c));
    // Code points come back as numbers (a driver may drop a BOM from text it decodes).
    const sql = await db().$queryRaw<{ cp: number }[]>`
      SELECT ascii(c) AS cp FROM unnest(${all.filter((c) => c.normalize("NFKC") === c)}::text[]) AS c
      WHERE c ~ ${TIDY_CLASS}`;
    const fromSql = new Set(sql.map((r) => Number(r.cp)));
    const codes = new Set([...js].map((c) => c.codePointAt(0)!));
    expect([...fromSql].filter((c) => !codes.has(c)).map((c) => c.toString(16))).toEqual([]);
    expect([...codes].filter((c) => !fromSql.has(c)).map((c) => c.toString(16))).toEqual([]);

    const org = await makeOrg();
    const t = org.tag;
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `tidy-${t}`));
    await addPermissionRule(
      org.admin,
      {},
      agent.id,
      { effect: "allow", action: "data:*", resource: `db:${t}/*` },
      {
        impact: false,
      },
    );
    const customers = await createResource(
      org.admin,
      {},
      { name: `Customers ${t}`, pattern: `db:${t}/customers*`, kind: "dataset", classification: "personal" },
    );
    for (const resource of [`db:${t}/cust\u00ADomers/1`, `db:${t}/\u200Bcustomers/2`, `db:${t}/orders`])
      await authorizeAction(agent.id, {}, read(resource));
    const { lineage } = await resourceLineage(org.admin, customers.id, {});
    expect(lineage).toMatchObject({ calls: 2, agents: 1 });
  });

  it("keeps who acted for whom on which version, and answers lineage per resource, person and agent", async () => {
    const org = await makeOrg();
    const t = org.tag;
    const a = await registerAgent(org.admin, {}, agentInput(org.team.id, `support-${t}`));
    const b = await registerAgent(org.admin, {}, agentInput(org.other.id, `billing-${t}`));
    for (const agent of [a, b])
      await addPermissionRule(
        org.admin,
        {},
        agent.id,
        { effect: "allow", action: "data:*", resource: `db:${t}/*` },
        { impact: false },
      );
    await addPermissionRule(
      org.admin,
      {},
      b.id,
      { effect: "deny", action: "data:write", resource: "*" },
      { impact: false },
    );
    const customers = await createResource(
      org.admin,
      {},
      {
        name: `Customers ${t}`,
        pattern: `db:${t}/customers*`,
        kind: "dataset",
        classification: "personal",
      },
    );
    const alice = `alice-${t}@example.com`;
    const bob = `bob-${t}`;
    const calls: [string, Record<string, unknown>][] = [
      [a.id, read(`db:${t}/customers/1`, { onBehalfOf: alice })],
      [a.id, read(`db:${t}/customers/1`, { onBehalfOf: alice })],
      [a.id, read(`db:${t}/Ｃｕｓｔｏｍｅｒｓ/2`, { context: { onBehalfOf: ` ${bob} ` } })],
      [a.id, read(`db:${t}/customers_archive`, { onBehalfOf: alice, version: 7 })],
      [a.id, read(`db:${t}/orders`, { onBehalfOf: alice })],
      [b.id, { action: "data:write", resource: `db:${t}/customers/1`, onBehalfOf: alice }],
      [b.id, read(`db:${t}/customers/3`)],
      [b.id, read(`db:${t}/customersX`, { context: { onBehalfOf: 42 } })],
      [a.id, read(`db:${t}/customer`, { onBehalfOf: alice })],
    ];
    for (const [id, body] of calls) await authorizeAction(id, {}, body);

    // Every decision records the deployed version (a version that is not the running canary's is not believed).
    const rows = await db().decision.findMany({ where: { agentId: { in: [a.id, b.id] } } });
    expect(rows).toHaveLength(calls.length);
    expect(new Set(rows.map((r) => r.versionNumber))).toEqual(new Set([1]));
    expect(rows.filter((r) => r.onBehalfOf === bob)).toHaveLength(1);

    // The resource's lineage against an independent count over the rows (matched as classification matches them:
    // case and compatibility forms ignored, so full-width `Ｃｕｓｔｏｍｅｒｓ` is in it).
    const fold = (s: string) => s.normalize("NFKC").toLowerCase();
    const expected = rows.filter((r) => globMatch(fold(customers.pattern), fold(r.resource)));
    expect(expected).toHaveLength(7);
    const { lineage } = await resourceLineage(org.admin, customers.id, {});
    expect(lineage).toMatchObject({ calls: 7, agents: 2, people: 2 });
    expect(lineage.groups.reduce((s, g) => s + g.calls, 0)).toBe(7);
    expect(lineage.groupCount).toBe(lineage.groups.length);
    expect(lineage.groups[0]).toMatchObject({
      agentSlug: `support-${t}`,
      resource: `db:${t}/customers/1`,
      onBehalfOf: alice,
      decision: "allow",
      calls: 2,
      versionNumber: 1,
    });
    expect(lineage.groups.find((g) => g.decision === "deny")).toMatchObject({
      agentSlug: `billing-${t}`,
      onBehalfOf: alice,
      ruleId: expect.any(String),
    });
    // A team lead sees their team's agent only.
    expect((await resourceLineage(org.lead, customers.id, {})).lineage).toMatchObject({ calls: 4, agents: 1 });
    // A viewer sees the calls and how many people, not who they are (personal data), in the answer and the CSV.
    const viewed = (await resourceLineage(org.viewer, customers.id, {})).lineage;
    expect(viewed).toMatchObject({ calls: 7, agents: 2, people: 2 });
    expect(viewed.groups.every((g) => g.onBehalfOf === null)).toBe(true);
    expect(viewed.groups.find((g) => g.resource === `db:${t}/customers/1` && g.decision === "allow")).toMatchObject({
      calls: 2,
    });
    const viewerCsv = parse(await text((await resourceLineageCsv(org.viewer, customers.id, {})).chunks), {
      columns: true,
    }) as Record<string, string>[];
    expect(viewerCsv).toHaveLength(7);
    expect(viewerCsv.every((r) => r.on_behalf_of === "")).toBe(true);
    // A period with nothing in it.
    const past = { from: "2020-01-01T00:00:00Z", to: "2020-02-01T00:00:00Z" };
    expect((await resourceLineage(org.admin, customers.id, past)).lineage).toMatchObject({ calls: 0, groups: [] });
    await expect(
      resourceLineage(org.admin, customers.id, { from: "2026-01-01", to: "2025-01-01" }),
    ).rejects.toMatchObject({
      name: "ZodError",
    });
    await expect(resourceLineage(org.admin, "nope", {})).rejects.toMatchObject({ kind: "not_found" });

    // A person's page: everything done for alice, whatever the resource. Personal data: not for viewers, and every
    // lookup is audited.
    await expect(subjectLineage(org.viewer, {}, { onBehalfOf: alice })).rejects.toMatchObject({ kind: "forbidden" });
    // Another site's link cannot make a lookup in a signed-in reader's name (a token's caller chose to ask).
    const lookups = () => db().auditEvent.count({ where: { action: "lineage.subject_read" } });
    const before = await lookups();
    await expect(subjectLineage(org.auditor, { crossSite: true }, { onBehalfOf: alice })).rejects.toMatchObject({
      code: "cross_origin",
    });
    expect(await lookups()).toBe(before);
    await subjectLineage({ ...org.auditor, viaToken: true }, { crossSite: true }, { onBehalfOf: alice });
    expect(await lookups()).toBe(before + 1);
    const forAlice = await subjectLineage(org.auditor, { requestId: `dsr-${t}` }, { onBehalfOf: alice });
    expect(forAlice.lineage).toMatchObject({ calls: rows.filter((r) => r.onBehalfOf === alice).length, people: 1 });
    expect(forAlice.lineage.calls).toBe(6);
    expect((await subjectLineage(org.lead, {}, { onBehalfOf: alice })).lineage.calls).toBe(5);
    await expect(subjectLineage(org.admin, {}, { onBehalfOf: "" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(subjectLineage(org.admin, {}, { onBehalfOf: "a\u0000b" })).rejects.toMatchObject({ name: "ZodError" });
    const looked = await db().auditEvent.findFirstOrThrow({ where: { requestId: `dsr-${t}` } });
    expect(looked).toMatchObject({ action: "lineage.subject_read", actorId: org.auditor.id });
    expect(looked.after).toMatchObject({ onBehalfOf: alice, form: "json" });

    // The agent's touched resources, with the catalogue entry each falls under.
    const touched = await touchedResources(org.admin, a.id, {});
    expect(touched.more).toBe(false);
    expect(touched.items.map((i) => [i.resource, i.calls, i.catalogued?.name ?? null])).toEqual([
      [`db:${t}/customers/1`, 2, customers.name],
      ...[`db:${t}/customer`, `db:${t}/customers_archive`, `db:${t}/Ｃｕｓｔｏｍｅｒｓ/2`, `db:${t}/orders`]
        .sort()
        .map((r) => [r, 1, fold(r).startsWith(`db:${t}/customers`) ? customers.name : null]),
    ]);
    await expect(touchedResources(org.lead, b.id, {})).rejects.toMatchObject({ kind: "not_found" });

    // The CSV: every decision of the period, one a row.
    const csv = parse(await text((await resourceLineageCsv(org.admin, customers.id, {})).chunks), {
      columns: true,
    }) as Record<string, string>[];
    expect(csv).toHaveLength(7);
    expect(csv.filter((r) => r.on_behalf_of === alice)).toHaveLength(4);
    expect(new Set(csv.map((r) => r.decision_id))).toEqual(new Set(expected.map((r) => r.id)));
  });
});
