import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { addPermissionRule } from "../permissions/add-permission-rule";
import { registerAgent } from "./register-agent";
import { getAgentCard, removeAgentCard, setAgentCard } from "./set-agent-card";
import { agentSkillAccess } from "./skill-access";

const sample = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "a2a-sample-card.json"), "utf8"));
const auditCount = () => db().auditEvent.count();

describe("A2A agent cards", () => {
  it("imports a card (audited), serves it to whoever sees the agent, and removes it", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `geo-${org.tag}`));
    await expect(getAgentCard(org.viewer, agent.slug)).rejects.toMatchObject({ kind: "not_found" });
    await setAgentCard(org.admin, { requestId: "card-1" }, agent.id, sample);
    expect(await getAgentCard(org.viewer, agent.slug)).toMatchObject({ name: sample.name });
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "agent.card_set", targetId: agent.id } });
    expect(event).toMatchObject({ actorId: org.admin.id, requestId: "card-1", before: { skills: [] } });

    const before = await auditCount();
    await expect(setAgentCard(org.viewer, {}, agent.id, sample)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(setAgentCard(org.admin, {}, agent.id, { ...sample, skills: "x" })).rejects.toMatchObject({
      kind: "validation",
    });
    expect(await auditCount()).toBe(before);

    await removeAgentCard(org.admin, {}, agent.id);
    await expect(getAgentCard(org.admin, agent.slug)).rejects.toMatchObject({ kind: "not_found" });
    await expect(removeAgentCard(org.admin, {}, agent.id)).rejects.toMatchObject({ kind: "not_found" });
  });

  it("registers an agent with its card, and a peer's rules decide which of its skills it may use", async () => {
    const org = await makeOrg();
    const geo = await registerAgent(
      org.admin,
      {},
      { ...agentInput(org.team.id, `geo2-${org.tag}`), agentCard: sample },
    );
    expect((await getAgentCard(org.admin, geo.id)).skills).toHaveLength(2);
    const caller = await registerAgent(org.admin, {}, agentInput(org.team.id, `caller-${org.tag}`));
    await addPermissionRule(org.admin, {}, caller.id, {
      effect: "allow",
      action: "a2a:send",
      resource: `a2a:${geo.slug}/route-*`,
    });
    const rules = await db().permissionRule.findMany({ where: { agentId: caller.id }, orderBy: { position: "asc" } });
    const access = (await agentSkillAccess(org.admin, caller, rules)).filter((s) => s.agent === geo.slug);
    expect(access.map((s) => [s.resource, s.verdict, s.rule])).toEqual([
      [`a2a:${geo.slug}/route-optimizer-traffic`, "allow", 1],
      [`a2a:${geo.slug}/custom-map-generator`, "deny", null],
    ]);
    await expect(
      registerAgent(org.admin, {}, { ...agentInput(org.team.id, `bad-${org.tag}`), agentCard: { name: "x" } }),
    ).rejects.toMatchObject({ name: "ZodError" });
    expect(await db().agent.findUnique({ where: { slug: `bad-${org.tag}` } })).toBeNull();
  });
});
