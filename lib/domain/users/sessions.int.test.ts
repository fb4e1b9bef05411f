import { describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { actorFromPersonalToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db/client";
import { makeOrg } from "@/lib/test/fixtures";
import { systemActor } from "../actor";
import { createPersonalAccessToken } from "../tokens/create-personal-access-token";
import { changeOwnPassword } from "./change-own-password";
import { createUser } from "./create-user";
import { revokeUserSessions } from "./revoke-user-sessions";
import { endSession, readSession, SessionRefused, startSession } from "./sessions";
import { setUserStatus } from "./set-user-status";
import { updateUser } from "./update-user";

const from = { ip: "127.0.0.1", userAgent: "vitest" };

/** A person with a password they chose (no one-time flag), as a signed-in actor. */
async function personWithPassword(tag: string, password = "own-password-123") {
  const p = await createUser(
    systemActor("test"),
    {},
    { email: `s-${tag}-${crypto.randomUUID().slice(0, 6)}@test.local`, name: "S", role: "viewer" },
  );
  await db().user.update({ where: { id: p.id }, data: { passwordHash: await hashPassword(password) } });
  return {
    id: p.id,
    email: p.email,
    password,
    actor: (sessionId: string) => ({
      type: "user" as const,
      id: p.id,
      label: p.email,
      role: "viewer" as const,
      teamIds: [],
      sessionId,
    }),
  };
}

describe("console sessions (server-side rows)", () => {
  it("reads the live session with its person's role and teams; sign-out ends it; a forged or expired id reads nothing", async () => {
    const org = await makeOrg();
    const sid = await startSession(org.lead.id, from);
    expect(await readSession(sid)).toMatchObject({
      sessionId: sid,
      id: org.lead.id,
      role: "team_lead",
      teamIds: [org.team.id],
      mustChangePassword: false,
    });
    expect(await readSession("not-a-session")).toBeNull();
    expect(await readSession(sid, new Date(Date.now() + 9 * 3_600_000))).toBeNull(); // past its 8 h
    await endSession(sid);
    expect(await readSession(sid)).toBeNull();
    expect(await db().userSession.findUniqueOrThrow({ where: { id: sid } })).toMatchObject({
      ip: "127.0.0.1",
      userAgent: "vitest",
    });
  });

  it("changing one's own password ends one's other sessions and revokes one's tokens, keeps this session, and clears a one-time password", async () => {
    const p = await personWithPassword("own");
    const [mine, other] = [await startSession(p.id, from), await startSession(p.id, from)];
    const { token } = await createPersonalAccessToken(p.actor(other), {}, { name: "minted", expiresInDays: null });
    await db().user.update({ where: { id: p.id }, data: { mustChangePassword: true } });
    await changeOwnPassword(
      p.actor(mine),
      { requestId: "pw" },
      { currentPassword: p.password, newPassword: "another-password-1", confirmPassword: "another-password-1" },
    );
    expect(await readSession(mine)).toMatchObject({ mustChangePassword: false });
    expect(await readSession(other)).toBeNull();
    const event = await db().auditEvent.findFirstOrThrow({
      where: { action: "user.password_changed", targetId: p.id },
    });
    expect(event.after).toMatchObject({ sessionsEnded: 1, tokensRevoked: 1 });
    // The token a stolen cookie could have minted went with the old password.
    expect(await actorFromPersonalToken(token)).toBeNull();
  });

  it("guessing one's current password is throttled as sign-ins are (a stolen session cannot try a word list)", async () => {
    const p = await personWithPassword("guess");
    const session = await startSession(p.id, from);
    const change = (currentPassword: string, ip: string) =>
      changeOwnPassword(
        p.actor(session),
        { ip },
        { currentPassword, newPassword: "another-password-1", confirmPassword: "another-password-1" },
      );
    for (let i = 0; i < 5; i++)
      await expect(change(`guess-${i}`, "198.51.100.23")).rejects.toMatchObject({ kind: "validation" });
    // Refused before the password is checked, even the right one, from there; the person elsewhere is not locked out.
    await expect(change(p.password, "198.51.100.23")).rejects.toMatchObject({ code: "rate_limited" });
    await expect(change(p.password, "198.51.100.23")).rejects.toMatchObject({ code: "rate_limited" });
    // Each wrong guess and the first refusal are in the trail as failed sign-ins, with why.
    const failures = await db().auditEvent.findMany({
      where: { action: "user.sign_in_failed", targetId: p.id },
      orderBy: { position: "asc" },
    });
    expect(failures.map((e) => e.reason?.split(":")[1]?.trim().split(",")[0])).toEqual([
      ...Array(5).fill("the current password given is wrong"),
      "throttled",
    ]);
    await change(p.password, "203.0.113.23");
  });

  it("an admin-set password is one-time (at creation and later) and ends the person's sessions; the seed's way of clearing it is explicit", async () => {
    const org = await makeOrg();
    const created = await createUser(
      org.admin,
      {},
      { email: `first-${org.tag}@test.local`, name: "First", role: "viewer", password: "given-by-admin-1" },
    );
    expect((await db().user.findUniqueOrThrow({ where: { id: created.id } })).mustChangePassword).toBe(true);
    const sso = await createUser(org.admin, {}, { email: `sso-${org.tag}@test.local`, name: "SSO", role: "viewer" });
    expect((await db().user.findUniqueOrThrow({ where: { id: sso.id } })).mustChangePassword).toBe(false);

    const p = await personWithPassword("adminset");
    const sid = await startSession(p.id, from);
    await updateUser(org.admin, { requestId: "set" }, p.id, { password: "given-again-123" });
    expect(await readSession(sid)).toBeNull();
    expect((await db().user.findUniqueOrThrow({ where: { id: p.id } })).mustChangePassword).toBe(true);
    // Renaming does not touch sessions.
    const sid2 = await startSession(p.id, from);
    await updateUser(org.admin, {}, p.id, { name: "Renamed" });
    expect(await readSession(sid2)).toMatchObject({ name: "Renamed", mustChangePassword: true });
  });

  it("deactivation ends sessions for good: reactivation does not revive them", async () => {
    const org = await makeOrg();
    const sid = await startSession(org.viewer.id, from);
    await setUserStatus(org.admin, {}, org.viewer.id, "disabled");
    expect(await readSession(sid)).toBeNull();
    await setUserStatus(org.admin, {}, org.viewer.id, "active");
    expect(await readSession(sid)).toBeNull();
    expect(await readSession(await startSession(org.viewer.id, from))).not.toBeNull();
  });

  it("no session starts for a person deactivated as they sign in, so none comes back with a reactivation", async () => {
    const org = await makeOrg();
    await setUserStatus(org.admin, {}, org.viewer.id, "disabled");
    await expect(startSession(org.viewer.id, from)).rejects.toBeInstanceOf(SessionRefused);
    await setUserStatus(org.admin, {}, org.viewer.id, "active");
    expect(await db().userSession.count({ where: { userId: org.viewer.id } })).toBe(0);
  });

  it("an admin signs a person out everywhere in one audited transaction; nobody else can", async () => {
    const org = await makeOrg();
    const sids = [await startSession(org.viewer.id, from), await startSession(org.viewer.id, from)];
    const before = await db().auditEvent.count();
    for (const who of [org.viewer, org.lead, org.auditor]) {
      await expect(revokeUserSessions(who, {}, org.viewer.id)).rejects.toMatchObject({ kind: "forbidden" });
    }
    expect(await db().auditEvent.count()).toBe(before);
    expect(await revokeUserSessions(org.admin, { requestId: "out" }, org.viewer.id, { reason: "lost laptop" })).toEqual(
      { revoked: 2 },
    );
    for (const sid of sids) expect(await readSession(sid)).toBeNull();
    expect(
      await db().auditEvent.findFirstOrThrow({ where: { action: "user.sessions_revoked", targetId: org.viewer.id } }),
    ).toMatchObject({ actorId: org.admin.id, requestId: "out", reason: "lost laptop", after: { revoked: 2 } });
    await expect(revokeUserSessions(org.admin, {}, "00000000-0000-7000-8000-000000000000")).rejects.toMatchObject({
      kind: "not_found",
    });
  });
});
