import { describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { actorFromPersonalToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db/client";
import { dbTarget } from "@/lib/db/config";
import { inTransaction } from "@/lib/db/tx";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { systemActor } from "../actor";
import { registerAgent } from "../agents/register-agent";
import { createAuditSink } from "../audit/sinks/commands";
import { approveChangeRequest } from "../changes/decide-change-request";
import { applyConfig } from "../config/apply-config";
import { createAgentKey } from "../keys/create-agent-key";
import { rotateAgentKey } from "../keys/rotate-agent-key";
import { createPersonalAccessToken } from "../tokens/create-personal-access-token";
import { createUser } from "../users/create-user";
import { tokensStillIssue } from "../users/fresh-proof";
import { startSession } from "../users/sessions";
import { updateUser } from "../users/update-user";
import { createWebhookEndpoint } from "../webhooks/create-webhook-endpoint";
import { orgSettings } from "./queries";
import { updateOrgSettings } from "./update-org-settings";

const from = { ip: "203.0.113.19", userAgent: "vitest" };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe("an organisation can stop tokens issuing credentials", () => {
  it("then a token (a leaked one) leaves nothing behind, a signed-in admin still can, and only a session with fresh proof asks to turn it back on, which a second admin approves", async () => {
    const org = await makeOrg();
    const password = `admin-password-${org.tag}`;
    await db().user.update({ where: { id: org.admin.id }, data: { passwordHash: await hashPassword(password) } });
    const pat = await createPersonalAccessToken(org.admin, {}, { name: "automation" });
    const token = (await actorFromPersonalToken(pat.token))!;
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `policy-${org.tag}`));
    const key = await createAgentKey(token, {}, agent.id, { name: "while allowed" });
    expect((await orgSettings()).tokensIssueCredentials).toBe(true);

    // Off: by a token too (the safe way), applied at once and audited.
    await expect(updateOrgSettings(token, {}, { tokensIssueCredentials: false })).resolves.toMatchObject({
      tokensIssueCredentials: false,
    });
    const changed = await db().auditEvent.findFirstOrThrow({
      where: { action: "settings.updated" },
      orderBy: { position: "desc" },
    });
    expect(changed).toMatchObject({
      actorId: org.admin.id,
      before: expect.objectContaining({ tokensIssueCredentials: true }),
      after: expect.objectContaining({ tokensIssueCredentials: false }),
    });

    const refused = { code: "session_required" };
    const before = (await db().auditEvent.aggregate({ _max: { position: true } }))._max.position ?? 0n;
    const email = `minted-${org.tag}@acp.local`;
    await expect(createAgentKey(token, {}, agent.id, { name: "persisted" })).rejects.toMatchObject(refused);
    await expect(rotateAgentKey(token, {}, agent.id, key.id, {})).rejects.toMatchObject(refused);
    await expect(
      createUser(token, {}, { email, name: "Minted", role: "viewer", password: "a-password-1234" }),
    ).rejects.toMatchObject(refused);
    await expect(updateUser(token, {}, org.viewer.id, { password: "a-password-1234" })).rejects.toMatchObject(refused);
    await expect(
      createAuditSink(
        token,
        {},
        { name: "exfil", kind: "https", url: "https://siem.example.com/in", startFrom: "beginning" },
      ),
    ).rejects.toMatchObject(refused);
    await expect(
      createWebhookEndpoint(token, {}, { name: "exfil", url: "https://hooks.example.com/in" }),
    ).rejects.toMatchObject(refused);
    await expect(
      applyConfig(
        token,
        {},
        {
          document: { version: 1, webhooks: [{ name: "exfil", url: "https://hooks.example.com/in" }] },
          planHash: "0".repeat(64),
        },
      ),
    ).rejects.toMatchObject(refused);
    // Nothing written but the first refusal, recorded against the token (a leaked one trying; once a minute, so a
    // token retrying in a loop does not flood the trail); what mints nothing still works with the token.
    const refusals = await db().auditEvent.findMany({
      where: { position: { gt: before } },
      orderBy: { position: "asc" },
    });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({
      action: "token.refused",
      actorId: org.admin.id,
      targetType: "personal_access_token",
      targetId: pat.id,
      outcome: "denied",
    });
    expect(refusals[0].reason).toContain("issue a key");
    expect(await db().agentKey.count({ where: { agentId: agent.id } })).toBe(1);
    expect(await db().user.count({ where: { email } })).toBe(0);
    await expect(createUser(token, {}, { email, name: "No password", role: "viewer" })).resolves.toMatchObject({
      email,
    });

    // A signed-in admin still issues them (fresh proof as ever).
    const fresh = { ...org.admin, sessionId: await startSession(org.admin.id, from) };
    await expect(createAgentKey(fresh, {}, agent.id, { name: "from the console" })).resolves.toMatchObject({
      name: "from the console",
    });

    // A malformed value fails validation (422 over HTTP) and changes nothing, from a session too.
    for (const bad of ["yes", null, 1])
      await expect(
        updateOrgSettings(fresh, {}, { tokensIssueCredentials: bad } as unknown as { tokensIssueCredentials: boolean }),
      ).rejects.toMatchObject({ name: "ZodError" });
    expect((await orgSettings()).tokensIssueCredentials).toBe(false);

    // On again: never by a token; by an old session only with the admin's password.
    await expect(updateOrgSettings(token, {}, { tokensIssueCredentials: true })).rejects.toMatchObject(refused);
    const old = {
      ...org.admin,
      sessionId: await startSession(org.admin.id, from, minutesAgo(60)),
    };
    await expect(updateOrgSettings(old, {}, { tokensIssueCredentials: true })).rejects.toMatchObject({
      details: { currentPassword: ["enter your password"] },
    });
    expect((await orgSettings()).tokensIssueCredentials).toBe(false);
    // Saving it off again, or another field, asks nothing.
    await expect(
      updateOrgSettings(old, {}, { tokensIssueCredentials: false, auditRetentionMonths: 24 }),
    ).resolves.toMatchObject({
      tokensIssueCredentials: false,
      auditRetentionMonths: 24,
    });
    // With the password, it asks a second admin (asked again, the same request answers); the requester cannot approve.
    const asked = await updateOrgSettings(old, {}, { tokensIssueCredentials: true, currentPassword: password });
    expect(asked).toMatchObject({ tokensIssueCredentials: false, pendingChange: { status: "pending_approval" } });
    const again = await updateOrgSettings(old, {}, { tokensIssueCredentials: true, currentPassword: password });
    expect(again.pendingChange).toEqual(asked.pendingChange);
    const requestId = asked.pendingChange!.requestId;
    await expect(approveChangeRequest(org.admin, {}, requestId)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(createAgentKey(token, {}, agent.id, { name: "still refused" })).rejects.toMatchObject(refused);
    const u = await createUser(
      systemActor(),
      {},
      { email: `second-${org.tag}@test.local`, name: "Second", role: "admin" },
    );
    const second = { type: "user" as const, id: u.id, label: u.email, role: "admin" as const, teamIds: [] };
    await approveChangeRequest(second, {}, requestId);
    expect((await orgSettings()).tokensIssueCredentials).toBe(true);
    expect(
      await db().auditEvent.findFirstOrThrow({ where: { action: "settings.updated" }, orderBy: { position: "desc" } }),
    ).toMatchObject({
      actorId: second.id,
      after: expect.objectContaining({ tokensIssueCredentials: true, requestId, requestedById: org.admin.id }),
    });
    await expect(createAgentKey(token, {}, agent.id, { name: "allowed again" })).resolves.toMatchObject({
      name: "allowed again",
    });
  });

  it("a token's request already past the first check when an admin stops tokens is refused in its own transaction, for every credential", async (ctx) => {
    if (dbTarget().kind !== "postgres") ctx.skip(); // the embedded database has one connection: no request is in between
    const org = await makeOrg();
    const token = { ...org.admin, viaToken: true as const, tokenId: "leaked" };
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `race-${org.tag}`));
    const key = await createAgentKey(org.admin, {}, agent.id, { name: "existing" });
    expect((await orgSettings()).tokensIssueCredentials).toBe(true);
    const writes = () =>
      Promise.all([
        db().agentKey.count(),
        db().user.count(),
        db().auditSink.count(),
        db().webhookEndpoint.count(),
        db().auditEvent.count(),
      ]);
    const hook = { name: "late", url: "https://hooks.example.com/late" };
    const email = `late-${org.tag}@acp.local`;
    const sink = { name: "late", kind: "https", url: "https://siem.example.com/late", startFrom: "now" };
    const attempts: [string, () => Promise<unknown>][] = [
      ["issue a key", () => createAgentKey(token, {}, agent.id, { name: "late" })],
      ["rotate a key", () => rotateAgentKey(token, {}, agent.id, key.id, {})],
      [
        "give a password",
        () => createUser(token, {}, { email, name: "Late", role: "viewer", password: "a-pass-1234" }),
      ],
      ["set a password", () => updateUser(token, {}, org.viewer.id, { password: "a-password-1234" })],
      ["add a SIEM sink", () => createAuditSink(token, {}, sink)],
      ["add a webhook endpoint", () => createWebhookEndpoint(token, {}, hook)],
      [
        "apply webhooks",
        () => applyConfig(token, {}, { document: { version: 1, webhooks: [hook] }, planHash: "0".repeat(64) }),
      ],
    ];
    const waiting = async () =>
      (
        await db().$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%AS allowed FROM org_settings%'`
      )[0].n;
    for (const [doing, attempt] of attempts) {
      const before = await writes();
      let request: Promise<unknown> = Promise.resolve();
      // An admin stops tokens. Before that commits, the token's request reads the policy as it was (on), passes the
      // first check, and reaches its own transaction, which waits for the settings row; then the stop commits.
      await db().$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE org_settings SET "tokensIssueCredentials" = false WHERE id = 1`;
        request = attempt();
        request.catch(() => {}); // awaited below
        for (let i = 0; i < 400 && (await waiting()) === 0n; i++) await new Promise((r) => setTimeout(r, 25));
        expect(await waiting(), doing).toBe(1n);
      });
      await expect(request, doing).rejects.toMatchObject({ code: "session_required" });
      expect(await writes(), doing).toEqual(before);
      await db().$executeRaw`UPDATE org_settings SET "tokensIssueCredentials" = true WHERE id = 1`;
    }
    // A session is never refused there.
    await expect(inTransaction((tx) => tokensStillIssue(tx, org.admin, "issue a key"))).resolves.toBeUndefined();
  });
});
