import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "@/lib/db/client";
import { dbTarget } from "@/lib/db/config";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { DomainError } from "../errors";
import { getAgent, listAgents } from "./queries";
import { registerAgent } from "./register-agent";
import { retireAgent } from "./retire-agent";
import { resumeAgent, suspendAgent } from "./set-agent-status";
import { updateAgent } from "./update-agent";

const counts = async () => ({
  agents: await db().agent.count(),
  versions: await db().agentVersion.count(),
  audit: await db().auditEvent.count(),
});

describe("agent registry", () => {
  it("registers an agent with version 1 deployed and exactly one audit event", async () => {
    const org = await makeOrg();
    const before = await counts();
    const agent = await registerAgent(
      org.admin,
      { requestId: "req-1", ip: "10.0.0.1" },
      agentInput(org.team.id, `reg-${org.tag}`),
    );
    const after = await counts();
    expect(after).toEqual({ agents: before.agents + 1, versions: before.versions + 1, audit: before.audit + 1 });
    expect(agent.deployedVersion?.number).toBe(1);
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: agent.id } });
    expect(event).toMatchObject({
      action: "agent.registered",
      actorId: org.admin.id,
      agentId: agent.id,
      teamId: org.team.id,
      requestId: "req-1",
      ip: "10.0.0.1",
    });
    expect((event.after as { version: { model: string } }).version.model).toBe("gpt-5-mini");
  });

  it("writes nothing for invalid input, a viewer, or a taken slug", async () => {
    const org = await makeOrg();
    await registerAgent(org.admin, {}, agentInput(org.team.id, `dup-${org.tag}`));
    const before = await counts();
    await expect(
      registerAgent(org.admin, {}, { ...agentInput(org.team.id, "Bad Slug!"), config: { model: "" } }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(registerAgent(org.viewer, {}, agentInput(org.team.id, `v-${org.tag}`))).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(registerAgent(org.lead, {}, agentInput(org.team.id, `l-${org.tag}`))).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(registerAgent(org.admin, {}, agentInput(org.team.id, `dup-${org.tag}`))).rejects.toMatchObject({
      code: "slug_taken",
    });
    await expect(registerAgent(org.admin, {}, agentInput("no-such-team", `t-${org.tag}`))).rejects.toMatchObject({
      kind: "validation",
    });
    expect(await counts()).toEqual(before);
  });

  it("rolls back the agent when the audit write fails (same transaction)", async () => {
    const org = await makeOrg();
    const before = await counts();
    // Make the audit insert fail (and only it), after the agent and version rows were written in the transaction.
    await db().$executeRawUnsafe(
      `ALTER TABLE audit_events ADD CONSTRAINT tmp_no_insert CHECK (action <> 'agent.registered') NOT VALID`,
    );
    try {
      await expect(registerAgent(org.admin, {}, agentInput(org.team.id, `rb-${org.tag}`))).rejects.toThrow();
    } finally {
      await db().$executeRawUnsafe(`ALTER TABLE audit_events DROP CONSTRAINT tmp_no_insert`);
    }
    expect(await counts()).toEqual(before);
    expect(await db().agent.findUnique({ where: { slug: `rb-${org.tag}` } })).toBeNull();
  });

  it("edits metadata, auditing only the changed fields", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `ed-${org.tag}`));
    await updateAgent(org.admin, {}, agent.id, {
      name: "Renamed",
      environment: "staging",
      description: agent.description,
    });
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: agent.id, action: "agent.updated" } });
    expect(event.before).toEqual({ name: `Agent ed-${org.tag}`, environment: "dev" });
    expect(event.after).toEqual({ name: "Renamed", environment: "staging" });
    await expect(updateAgent(org.viewer, {}, agent.id, { name: "x" })).rejects.toBeInstanceOf(DomainError);
    await expect(updateAgent(org.admin, {}, agent.id, { slug: "nope" } as never)).rejects.toBeInstanceOf(ZodError);
  });

  it("scopes team leads to their teams; admins, auditors and viewers read all", async () => {
    const org = await makeOrg();
    const mine = await registerAgent(org.admin, {}, agentInput(org.team.id, `mine-${org.tag}`));
    const theirs = await registerAgent(org.admin, {}, agentInput(org.other.id, `theirs-${org.tag}`));
    const slugs = async (actor: typeof org.admin) =>
      (await listAgents(actor, { q: org.tag, limit: 100 })).items.map((a) => a.slug);
    expect(await slugs(org.lead)).toEqual([mine.slug]);
    for (const reader of [org.admin, org.auditor, org.viewer])
      expect(await slugs(reader)).toEqual([mine.slug, theirs.slug]);
    await expect(getAgent(org.lead, theirs.id)).rejects.toMatchObject({ kind: "not_found" });
  });

  it("paginates with a keyset cursor", async () => {
    const org = await makeOrg();
    for (const n of [1, 2, 3, 4, 5]) await registerAgent(org.admin, {}, agentInput(org.team.id, `p${n}-${org.tag}`));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAgents(org.admin, { teamId: org.team.id, limit: 2, cursor });
      seen.push(...page.items.map((a) => a.slug));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([1, 2, 3, 4, 5].map((n) => `p${n}-${org.tag}`));
  });

  it("sorts by name, not slug, and pages through agents of the same name by slug, both ways", async () => {
    const org = await makeOrg();
    const named = async (slug: string, name: string) =>
      registerAgent(org.admin, {}, { ...agentInput(org.team.id, `${slug}-${org.tag}`), name });
    await named("a", "Zulu");
    await named("b", "Alpha");
    await named("c", "Mike");
    await named("d", "Mike");
    const all = async (dir: "asc" | "desc") => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listAgents(org.admin, { teamId: org.team.id, sort: "name", dir, limit: 1, cursor });
        seen.push(...page.items.map((a) => `${a.name} ${a.slug.split("-")[0]}`));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };
    expect(await all("asc")).toEqual(["Alpha b", "Mike c", "Mike d", "Zulu a"]);
    expect(await all("desc")).toEqual(["Zulu a", "Mike d", "Mike c", "Alpha b"]);
    // A cursor of another list (a slug, as sorting by a computed column pages) is refused, not misread.
    const bySpend = await listAgents(org.admin, { teamId: org.team.id, sort: "spend", limit: 1 });
    await expect(
      listAgents(org.admin, { teamId: org.team.id, sort: "name", cursor: bySpend.nextCursor! }),
    ).rejects.toMatchObject({ code: "validation_failed" });
    // A forged cursor holding NUL (PostgreSQL refuses it in text) is refused before any query.
    const nul = Buffer.from(JSON.stringify(["a\u0000", "x"])).toString("base64url");
    await expect(listAgents(org.admin, { sort: "name", cursor: nul })).rejects.toMatchObject({
      code: "validation_failed",
    });
  });

  it("never brings back an agent retired while it was being resumed: the resume waits for the retirement and refuses", async (ctx) => {
    if (dbTarget().kind !== "postgres") ctx.skip(); // the embedded database has one connection: nothing runs in between
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `race-${org.tag}`));
    await suspendAgent(org.admin, {}, agent.id, { reason: "investigating" });
    const waiting = async () =>
      (
        await db().$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FROM agents WHERE id = %FOR UPDATE%'`
      )[0].n;
    let resuming: Promise<unknown> = Promise.resolve();
    // The retirement holds the agent's row while an admin resumes it; the retirement commits first.
    await db().$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM agents WHERE id = ${agent.id} FOR UPDATE`;
        resuming = resumeAgent(org.admin, {}, agent.id, { reason: "false alarm" });
        resuming.catch(() => {}); // awaited below
        for (let i = 0; i < 400 && (await waiting()) === 0n; i++) await new Promise((r) => setTimeout(r, 25));
        expect(await waiting()).toBe(1n);
        await tx.agent.update({ where: { id: agent.id }, data: { status: "retired" } });
      },
      { timeout: 30_000 },
    );
    await expect(resuming).rejects.toMatchObject({ code: "validation_failed" });
    expect((await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).status).toBe("retired");
    // Through the command itself as well: a retired agent stays retired.
    const other = await registerAgent(org.admin, {}, agentInput(org.team.id, `race2-${org.tag}`));
    await retireAgent(org.admin, {}, other.id, { reason: "done" });
    await expect(resumeAgent(org.admin, {}, other.id, {})).rejects.toMatchObject({ code: "validation_failed" });
  });
});
