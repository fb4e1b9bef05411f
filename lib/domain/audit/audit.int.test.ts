import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { verifyAuditChain } from "./verify-audit-chain";

describe("audit chain in the database", () => {
  it("stays intact under concurrent writers, then reports a hand-edited row by position", async () => {
    const org = await makeOrg();
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => registerAgent(org.admin, {}, agentInput(org.team.id, `c${n}-${org.tag}`))),
    );
    const intact = await verifyAuditChain();
    expect(intact.intact).toBe(true);
    expect(intact.checked).toBe(await db().auditEvent.count());

    const victim = await db().auditEvent.findFirstOrThrow({
      where: { action: "agent.registered", agentId: { not: null } },
      orderBy: { position: "asc" },
    });
    // Change one byte of the stored reason, as someone with database access might.
    await db()
      .$executeRaw`UPDATE audit_events SET "actorLabel" = ${victim.actorLabel.replace(/^./, "X")} WHERE position = ${victim.position}`;
    const broken = await verifyAuditChain();
    expect(broken.intact).toBe(false);
    expect(broken.break).toEqual({ position: String(victim.position), reason: "hash_mismatch" });

    await db()
      .$executeRaw`UPDATE audit_events SET "actorLabel" = ${victim.actorLabel} WHERE position = ${victim.position}`;
    expect((await verifyAuditChain()).intact).toBe(true);

    const last = await db().auditEvent.findFirstOrThrow({ orderBy: { position: "desc" } });
    await db().$executeRaw`DELETE FROM audit_events WHERE position = ${last.position}`;
    expect((await verifyAuditChain()).break).toEqual({ position: String(last.position), reason: "missing_position" });
    await db().$executeRaw`UPDATE audit_chain_head SET position = position - 1, hash = ${last.prevHash} WHERE id = 1`;
  });

  it("does not mistake events appended while it walks for a gap", async () => {
    const org = await makeOrg();
    // Writers keep appending while the verifier runs; every check must still see an intact chain.
    const writers = Promise.all(
      Array.from({ length: 12 }, (_, n) => registerAgent(org.admin, {}, agentInput(org.team.id, `w${n}-${org.tag}`))),
    );
    const reports = await Promise.all(Array.from({ length: 6 }, () => verifyAuditChain()));
    await writers;
    reports.push(await verifyAuditChain());
    for (const r of reports) expect(r.break).toBeNull();
  });
});
