import { describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { createAuditSink } from "../audit/sinks/commands";
import { applyConfig } from "../config/apply-config";
import { createAgentKey } from "../keys/create-agent-key";
import { rotateAgentKey } from "../keys/rotate-agent-key";
import { createPersonalAccessToken } from "../tokens/create-personal-access-token";
import { createWebhookEndpoint } from "../webhooks/create-webhook-endpoint";
import { createUser } from "./create-user";
import { RECENT_SIGN_IN_MINUTES } from "./recent-sign-in";
import { startSession } from "./sessions";
import { updateUser } from "./update-user";

const from = { ip: "203.0.113.9", userAgent: "vitest" };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe("minting a credential asks for fresh proof", () => {
  it("a session signed in long ago (a stolen cookie) mints only with the person's password; wrong guesses are recorded", async () => {
    const org = await makeOrg();
    const password = `right-password-${org.tag}`;
    await db().user.update({ where: { id: org.viewer.id }, data: { passwordHash: await hashPassword(password) } });
    const meta = { ip: from.ip };

    const fresh = await startSession(org.viewer.id, from);
    await expect(
      createPersonalAccessToken({ ...org.viewer, sessionId: fresh }, meta, { name: "fresh" }),
    ).resolves.toMatchObject({ name: "fresh" });

    const old = {
      ...org.viewer,
      sessionId: await startSession(org.viewer.id, from, minutesAgo(RECENT_SIGN_IN_MINUTES + 1)),
    };
    await expect(createPersonalAccessToken(old, meta, { name: "stolen" })).rejects.toMatchObject({
      code: "validation_failed",
      details: { currentPassword: ["enter your password"] },
    });
    await expect(
      createPersonalAccessToken(old, meta, { name: "stolen", currentPassword: "a guess" }),
    ).rejects.toMatchObject({ details: { currentPassword: ["is not your current password"] } });
    expect(
      await db().auditEvent.count({
        where: {
          action: "user.sign_in_failed",
          targetId: org.viewer.id,
          reason: "to create a token: the current password given is wrong",
        },
      }),
    ).toBe(1);
    expect(await db().personalAccessToken.count({ where: { userId: org.viewer.id, name: "stolen" } })).toBe(0);
    await expect(
      createPersonalAccessToken(old, meta, { name: "proven", currentPassword: password }),
    ).resolves.toMatchObject({ name: "proven" });
  });

  it("a person who signs in only through SSO signs in again", async () => {
    const org = await makeOrg();
    const old = { ...org.auditor, sessionId: await startSession(org.auditor.id, from, minutesAgo(60)) };
    await expect(
      createPersonalAccessToken(old, {}, { name: "late", currentPassword: "anything" }),
    ).rejects.toMatchObject({
      code: "recent_sign_in_required",
    });
    const fresh = { ...org.auditor, sessionId: await startSession(org.auditor.id, from) };
    await expect(createPersonalAccessToken(fresh, {}, { name: "now" })).resolves.toMatchObject({ name: "now" });
  });

  it("a stolen admin cookie cannot issue or rotate an agent key, or give a person a password, or leave a SIEM sink or webhook behind, without the admin's password; each time", async () => {
    const org = await makeOrg();
    const password = `admin-password-${org.tag}`;
    await db().user.update({ where: { id: org.admin.id }, data: { passwordHash: await hashPassword(password) } });
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `proof-${org.tag}`));
    const key = await createAgentKey(org.admin, {}, agent.id, { name: "before" }); // no session: inside the server
    const stolen = {
      ...org.admin,
      sessionId: await startSession(org.admin.id, from, minutesAgo(RECENT_SIGN_IN_MINUTES + 5)),
    };
    const needsPassword = { code: "validation_failed", details: { currentPassword: ["enter your password"] } };
    await expect(createAgentKey(stolen, {}, agent.id, { name: "stolen" })).rejects.toMatchObject(needsPassword);
    await expect(rotateAgentKey(stolen, {}, agent.id, key.id, {})).rejects.toMatchObject(needsPassword);
    await expect(
      createUser(
        stolen,
        {},
        { email: `sleeper-${org.tag}@test.local`, name: "Sleeper", role: "viewer", password: "chosen-by-thief" },
      ),
    ).rejects.toMatchObject(needsPassword);
    await expect(updateUser(stolen, {}, org.viewer.id, { password: "chosen-by-thief" })).rejects.toMatchObject(
      needsPassword,
    );
    // What is refused anyway says so first, without asking for the password.
    await expect(updateUser(stolen, {}, org.admin.id, { password: "my-own-new-one" })).rejects.toMatchObject({
      code: "own_password",
    });
    await expect(rotateAgentKey(stolen, {}, agent.id, "no-such-key", {})).rejects.toMatchObject({ kind: "not_found" });
    await expect(
      createAgentKey(stolen, {}, agent.id, { name: "stolen", currentPassword: "a guess" }),
    ).rejects.toMatchObject({ details: { currentPassword: ["is not your current password"] } });
    const sink = {
      name: `exfil-${org.tag}`,
      kind: "https",
      url: "https://siem.example.com/acp",
      startFrom: "beginning",
    };
    await expect(createAuditSink(stolen, {}, sink)).rejects.toMatchObject(needsPassword);
    const hook = { name: `hook-${org.tag}`, url: "https://hooks.example.com/acp" };
    await expect(createWebhookEndpoint(stolen, {}, hook)).rejects.toMatchObject(needsPassword);
    // Nor through a configuration apply: a document declaring webhooks asks the same, before its plan is checked.
    await expect(
      applyConfig(stolen, {}, { document: { version: 1, webhooks: [hook] }, planHash: "0".repeat(64) }),
    ).rejects.toMatchObject(needsPassword);
    // Nothing was made: no key, no person, no password, no sink, no endpoint, and the old key was not rotated.
    expect(await db().webhookEndpoint.count({ where: { name: hook.name } })).toBe(0);
    expect(await db().auditSink.count({ where: { name: sink.name } })).toBe(0);
    expect(await db().agentKey.count({ where: { agentId: agent.id } })).toBe(1);
    expect(await db().user.count({ where: { email: `sleeper-${org.tag}@test.local` } })).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: org.viewer.id } })).passwordHash).toBeNull();
    // What needs no credential still works on the old session: a person without a password, a rename.
    await expect(
      createUser(stolen, {}, { email: `sso-${org.tag}@test.local`, name: "SSO person", role: "viewer" }),
    ).resolves.toMatchObject({ name: "SSO person" });
    await expect(updateUser(stolen, {}, org.viewer.id, { name: "Renamed" })).resolves.toMatchObject({
      name: "Renamed",
    });

    // The password: for that one request. Giving it does not make the session fresh for whoever else holds the cookie.
    await expect(
      createAgentKey(stolen, {}, agent.id, { name: "proven", currentPassword: password }),
    ).resolves.toMatchObject({ name: "proven" });
    await expect(rotateAgentKey(stolen, {}, agent.id, key.id, {})).rejects.toMatchObject(needsPassword);
    await expect(rotateAgentKey(stolen, {}, agent.id, key.id, { currentPassword: password })).resolves.toMatchObject({
      name: "before",
    });
    await expect(
      updateUser(stolen, {}, org.viewer.id, { password: "a-new-one-time-pw", currentPassword: password }),
    ).resolves.toMatchObject({ id: org.viewer.id });
    await expect(createAuditSink(stolen, {}, { ...sink, currentPassword: password })).resolves.toMatchObject({
      name: sink.name,
    });
    await db().auditSink.deleteMany({ where: { name: sink.name } }); // (deleting one waits for a second admin)

    // A token is a credential of its own, minted with fresh proof: it needs none.
    await expect(
      createAgentKey({ ...org.admin, viaToken: true }, {}, agent.id, { name: "automation" }),
    ).resolves.toMatchObject({ name: "automation" });
  });
});
