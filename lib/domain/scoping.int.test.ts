import { describe, expect, it } from "vitest";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { listAgents } from "./agents/queries";
import { registerAgent } from "./agents/register-agent";
import { listAuditEvents } from "./audit/queries";
import { archiveBudget } from "./budgets/archive-budget";
import { createBudget } from "./budgets/create-budget";
import { updateBudget } from "./budgets/update-budget";
import { listChangeRequests } from "./changes/queries";
import { DomainError } from "./errors";
import { recordEvalRun } from "./evals/record-eval-run";
import { createUser } from "./users/create-user";
import { listUsers } from "./users/queries";

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e instanceof DomainError ? { kind: e.kind, message: e.message } : { kind: "other", message: String(e) };
  }
  return null;
};

describe("what a team lead can tell about other teams", () => {
  it("another team's budgets and agents answer exactly as missing ones do (404 / unknown), not 403", async () => {
    const org = await makeOrg();
    const theirs = await registerAgent(org.admin, {}, agentInput(org.other.id, `theirs-${org.tag}`));
    const budget = await createBudget(
      org.admin,
      {},
      { name: "theirs", scope: "agent", agentId: theirs.id, period: "day", limitUsd: 5 },
    );
    const teamBudget = await createBudget(
      org.admin,
      {},
      { name: "their team", scope: "team", teamId: org.other.id, period: "day", limitUsd: 5 },
    );
    const missing = "00000000-0000-7000-8000-000000000000";

    for (const id of [budget.id, teamBudget.id]) {
      expect(await failure(updateBudget(org.lead, {}, id, { limitUsd: 1 }))).toEqual(
        await failure(updateBudget(org.lead, {}, missing, { limitUsd: 1 })),
      );
      expect(await failure(archiveBudget(org.lead, {}, id))).toEqual(
        await failure(archiveBudget(org.lead, {}, missing)),
      );
      expect((await failure(archiveBudget(org.lead, {}, id)))?.kind).toBe("not_found");
    }
    const create = (input: { scope: "agent" | "team"; agentId?: string; teamId?: string }) =>
      failure(createBudget(org.lead, {}, { name: "probe", period: "day", limitUsd: 1, ...input }));
    expect(await create({ scope: "agent", agentId: theirs.id })).toEqual(
      await create({ scope: "agent", agentId: missing }),
    );
    expect(await create({ scope: "team", teamId: org.other.id })).toEqual(
      await create({ scope: "team", teamId: missing }),
    );
    const run = { runId: "r1", suite: "smoke", ranAt: new Date().toISOString(), score: 1, threshold: 0.5 };
    expect(await failure(recordEvalRun(org.lead, {}, theirs.id, 1, run))).toEqual(
      await failure(recordEvalRun(org.lead, {}, missing, 1, run)),
    );
    // A viewer reads every team, so a refused write is still a plain 403.
    expect((await failure(updateBudget(org.viewer, {}, budget.id, { limitUsd: 1 })))?.kind).toBe("forbidden");
  });

  it("the deployment request queue is for admins", async () => {
    const org = await makeOrg();
    for (const actor of [org.viewer, org.auditor, org.lead])
      expect((await failure(listChangeRequests(actor, "pending")))?.kind).toBe("forbidden");
    expect(await listChangeRequests(org.admin, "pending")).toBeInstanceOf(Array);
  });
});

describe("search text", () => {
  it("matches % and _ literally in agent, people and audit searches", async () => {
    const org = await makeOrg();
    await registerAgent(
      org.admin,
      {},
      { ...agentInput(org.team.id, `pct-${org.tag}`), name: `Cost 100% ${org.tag}`, description: "has a percent" },
    );
    await registerAgent(
      org.admin,
      {},
      { ...agentInput(org.team.id, `plain-${org.tag}`), name: `Cost 100 ${org.tag}`, description: "plain" },
    );
    const found = async (q: string) =>
      (await listAgents(org.admin, { q, limit: 100 })).items
        .map((a) => a.slug)
        .filter((s) => s.endsWith(org.tag))
        .sort();
    expect(await found(`100% ${org.tag}`)).toEqual([`pct-${org.tag}`]);
    expect(await found("%")).toEqual([`pct-${org.tag}`]);
    expect(await found(`pct_${org.tag}`)).toEqual([]); // _ is not "any character"
    expect(await found(`pct-${org.tag}`)).toEqual([`pct-${org.tag}`]);

    await createUser(
      org.admin,
      {},
      { email: `under_score-${org.tag}@test.local`, name: `U ${org.tag}`, role: "viewer", teamIds: [] },
    );
    await createUser(
      org.admin,
      {},
      { email: `underxscore-${org.tag}@test.local`, name: `X ${org.tag}`, role: "viewer", teamIds: [] },
    );
    const people = async (q: string) =>
      (await listUsers(org.admin, { q, limit: 100 })).items.map((u) => u.email).filter((e) => e.includes(org.tag));
    expect(await people(`under_score-${org.tag}`)).toEqual([`under_score-${org.tag}@test.local`]);

    const audit = async (raw: Record<string, unknown>) =>
      (await listAuditEvents(org.auditor, { ...raw, limit: 100 })).items.length;
    // The action filter is a catalogued action or an area: wildcards are not patterns, they are refused.
    await expect(audit({ action: "%" })).rejects.toMatchObject({ name: "ZodError" });
    await expect(audit({ action: "agent_" })).rejects.toMatchObject({ name: "ZodError" });
    expect(await audit({ action: "agent." })).toBeGreaterThan(0);
    expect(await audit({ actor: "%" })).toBe(0);
    expect(await audit({ q: "%" })).toBe(0);
  });
});
