import pg from "pg";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { dbTarget } from "@/lib/db/config";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { updateAgent } from "../agents/update-agent";
import { authorizeAction } from "../decisions/authorize-action";
import { drainAuditOutbox } from "./deferred";
import { verifyAuditChain } from "./verify-audit-chain";

/** Another session holding the chain head, as a long governed change (or a burst of appends) would. */
async function holdChainHead(): Promise<{ release: () => Promise<void> }> {
  const target = dbTarget();
  if (target.kind !== "postgres") throw new Error("needs PostgreSQL");
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE");
  return {
    release: async () => {
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

const denials = (agentId: string) =>
  db().auditEvent.findMany({ where: { agentId, action: "decision.denied" }, orderBy: { position: "asc" } });

describe("denials do not queue on the audit chain head", () => {
  it("a denial appends at once when the head is free", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `dq-free-${org.tag}`));
    const d = await authorizeAction(agent.id, { requestId: "r-free" }, { action: "tool:invoke", resource: "x" });
    expect(d.decision).toBe("deny");
    expect(await db().auditOutbox.count()).toBe(0);
    expect(await denials(agent.id)).toEqual([
      expect.objectContaining({ targetId: d.decisionId, requestId: "r-free", outcome: "denied" }),
    ]);
  });

  it("while another transaction holds the head, a denial is queued with its decision and appended after, in order", async (ctx) => {
    if (dbTarget().kind !== "postgres") ctx.skip();
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `dq-busy-${org.tag}`));
    const head = await holdChainHead();
    const asked = new Date();
    let decided: Awaited<ReturnType<typeof authorizeAction>>[];
    try {
      // These would wait for the holder if they appended to the chain; they return while it still holds the head.
      decided = [];
      for (let i = 0; i < 3; i++)
        decided.push(
          await authorizeAction(agent.id, { requestId: `r-${i}`, ip: "192.0.2.1" }, { action: "a", resource: `r${i}` }),
        );
      expect(decided.map((d) => d.decision)).toEqual(["deny", "deny", "deny"]);
      expect(await db().auditOutbox.count()).toBe(3);
      expect(await denials(agent.id)).toEqual([]);
    } finally {
      await head.release();
    }
    expect(await drainAuditOutbox(2)).toBe(3);
    expect(await db().auditOutbox.count()).toBe(0);
    const events = await denials(agent.id);
    expect(events.map((e) => [e.targetId, e.requestId, e.ip])).toEqual(
      decided.map((d, i) => [d.decisionId, `r-${i}`, "192.0.2.1"]),
    );
    for (const e of events) {
      expect(e.occurredAt.getTime()).toBeGreaterThanOrEqual(asked.getTime() - 1000);
      expect(e).toMatchObject({ actorType: "agent", actorId: agent.id, outcome: "denied" });
      expect(e.after).toMatchObject({ code: "no_matching_rule" });
    }
    expect(await verifyAuditChain()).toMatchObject({ intact: true, break: null });
  });

  it("denials racing governed changes and the appender: each denial is in the chain exactly once, and the chain verifies", async () => {
    const org = await makeOrg();
    const agents = await Promise.all(
      [0, 1, 2].map((i) => registerAgent(org.admin, {}, agentInput(org.team.id, `dq-race-${i}-${org.tag}`))),
    );
    let appending = true;
    const appender = (async () => {
      while (appending) await drainAuditOutbox(7);
    })();
    const results = await Promise.all([
      ...Array.from({ length: 60 }, (_, i) =>
        authorizeAction(agents[i % 3].id, {}, { action: "tool:invoke", resource: `t${i}` }),
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        updateAgent(org.admin, {}, agents[i % 3].id, { description: `edited ${i}` }),
      ),
    ]);
    appending = false;
    await appender;
    await drainAuditOutbox();
    const ids = results.slice(0, 60).map((d) => (d as { decisionId: string }).decisionId);
    const events = await db().auditEvent.findMany({
      where: { action: "decision.denied", agentId: { in: agents.map((a) => a.id) } },
    });
    expect(events.map((e) => e.targetId).sort()).toEqual([...ids].sort());
    expect(
      await db().auditEvent.count({ where: { action: "agent.updated", targetId: { in: agents.map((a) => a.id) } } }),
    ).toBe(6);
    expect(await db().auditOutbox.count()).toBe(0);
    expect(await verifyAuditChain()).toMatchObject({ intact: true, break: null });
  });
});
