import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { verifyPassword } from "@/lib/auth/password";
import { actorFromPersonalToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db/client";
import { makeOrg } from "@/lib/test/fixtures";
import { systemActor, type UserActor } from "../actor";
import { approveChangeRequest } from "../changes/decide-change-request";
import { setEnvironmentPolicy } from "../deployments/policies";
import { listTeamsWithCounts } from "../teams/queries";
import { renameTeam } from "../teams/rename-team";
import { createPersonalAccessToken } from "../tokens/create-personal-access-token";
import { changeOwnPassword } from "./change-own-password";
import { createUser } from "./create-user";
import { provisionSsoUser } from "./provision-sso-user";
import { getUser, listUsers } from "./queries";
import { readSession, startSession } from "./sessions";
import { setUserStatus } from "./set-user-status";
import { unlinkSsoAccount } from "./unlink-sso-account";
import { updateUser } from "./update-user";

const counts = async () => ({
  users: await db().user.count(),
  memberships: await db().teamMembership.count(),
  audit: await db().auditEvent.count(),
});

describe("people and teams", () => {
  it("adds a person with teams in one audited transaction; bad input, a taken e-mail or a non-admin write nothing", async () => {
    const org = await makeOrg();
    const before = await counts();
    const p = await createUser(
      org.admin,
      { requestId: "req-p" },
      {
        email: ` Lea.Lead-${org.tag}@Example.com `,
        name: "Lea Lead",
        role: "team_lead",
        teamIds: [org.team.id],
        password: "a-long-password",
      },
    );
    expect(p).toMatchObject({
      email: `lea.lead-${org.tag}@example.com`,
      role: "team_lead",
      status: "active",
      signIn: "password",
      teamIds: [org.team.id],
    });
    expect(JSON.stringify(p)).not.toContain("argon2");
    expect(await counts()).toEqual({
      users: before.users + 1,
      memberships: before.memberships + 1,
      audit: before.audit + 1,
    });
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: p.id } });
    expect(event).toMatchObject({ action: "user.created", actorId: org.admin.id, requestId: "req-p" });
    expect(JSON.stringify(event.after)).not.toMatch(/argon2|a-long-password/);

    const mid = await counts();
    await expect(
      createUser(org.admin, {}, { email: `lea.lead-${org.tag}@example.com`, name: "Again", role: "viewer" }),
    ).rejects.toMatchObject({ code: "email_taken" });
    await expect(
      createUser(org.admin, {}, { email: `x-${org.tag}@example.com`, name: "No team", role: "team_lead" }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      createUser(
        org.admin,
        {},
        { email: `y-${org.tag}@example.com`, name: "Ghost team", role: "viewer", teamIds: ["no-such-team"] },
      ),
    ).rejects.toMatchObject({ kind: "validation" });
    await expect(
      createUser(org.admin, {}, { email: "not-an-email", name: "x", role: "viewer" }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      createUser(org.admin, {}, { email: `z-${org.tag}@example.com`, name: "x", role: "viewer", password: "short" }),
    ).rejects.toBeInstanceOf(ZodError);
    for (const who of [org.viewer, org.auditor, org.lead]) {
      await expect(
        createUser(who, {}, { email: `w-${org.tag}@example.com`, name: "x", role: "admin" }),
      ).rejects.toMatchObject({ kind: "forbidden" });
    }
    expect(await counts()).toEqual(mid);
  });

  it("changes role, teams and password with only the changed fields audited; a no-op writes nothing", async () => {
    const org = await makeOrg();
    const p = await createUser(
      org.admin,
      {},
      { email: `v-${org.tag}@example.com`, name: "Val Viewer", role: "viewer" },
    );
    const updated = await updateUser(org.admin, {}, p.id, {
      role: "team_lead",
      teamIds: [org.other.id, org.team.id, org.team.id],
      password: "another-long-one",
    });
    expect(updated).toMatchObject({ role: "team_lead", teamIds: [org.team.id, org.other.id].sort() });
    const row = await db().user.findUniqueOrThrow({ where: { id: p.id } });
    expect(await verifyPassword(row.passwordHash!, "another-long-one")).toBe(true);
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: p.id, action: "user.updated" } });
    expect(event.before).toEqual({ role: "viewer", teamIds: [] });
    expect(event.after).toEqual({
      role: "team_lead",
      teamIds: [org.team.id, org.other.id].sort(),
      passwordChanged: true,
      tokensRevoked: 0,
    });

    const before = await counts();
    await updateUser(org.admin, {}, p.id, { name: "Val Viewer", role: "team_lead" });
    await expect(updateUser(org.admin, {}, p.id, { teamIds: [] })).rejects.toMatchObject({ kind: "validation" });
    await expect(updateUser(org.admin, {}, p.id, { role: "root" as never })).rejects.toBeInstanceOf(ZodError);
    await expect(updateUser(org.admin, {}, p.id, { email: "new@example.com" } as never)).rejects.toBeInstanceOf(
      ZodError,
    );
    await expect(updateUser(org.lead, {}, p.id, { role: "admin" })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(
      updateUser(org.admin, {}, "00000000-0000-7000-8000-000000000000", { name: "x" }),
    ).rejects.toMatchObject({ kind: "not_found" });
    expect(await counts()).toEqual(before);

    await renameTeam(org.admin, {}, org.team.id, { name: `Renamed ${org.tag}` });
    expect((await listTeamsWithCounts(org.admin)).find((t) => t.id === org.team.id)).toMatchObject({
      name: `Renamed ${org.tag}`,
      members: 2,
    });
    expect((await listTeamsWithCounts(org.lead)).map((t) => t.id)).toEqual([org.team.id]);
    await expect(renameTeam(org.lead, {}, org.team.id, { name: "Mine now" })).rejects.toMatchObject({
      kind: "forbidden",
    });
  });

  it("a password an admin sets revokes the person's tokens (a token minted from a stolen session does not outlive the reset)", async () => {
    const org = await makeOrg();
    const { token } = await createPersonalAccessToken(org.viewer, {}, { name: "minted" });
    expect((await actorFromPersonalToken(token))?.id).toBe(org.viewer.id);
    await updateUser(org.admin, {}, org.viewer.id, { password: "reset-by-admin-1" });
    expect(await actorFromPersonalToken(token)).toBeNull();
    expect(
      await db().auditEvent.findFirstOrThrow({
        where: { targetId: org.viewer.id, action: "user.updated" },
        orderBy: { position: "desc" },
      }),
    ).toMatchObject({ after: { passwordChanged: true, tokensRevoked: 1 } });
    await changeOwnPassword(
      org.viewer,
      {},
      {
        currentPassword: "reset-by-admin-1",
        newPassword: "chosen-by-me-22",
        confirmPassword: "chosen-by-me-22",
      },
    );
    expect(await actorFromPersonalToken(token)).toBeNull();
  });

  it("an admin the identity provider demotes has their waiting change requests withdrawn", async () => {
    const org = await makeOrg();
    const email = `kim-${org.tag}@test.local`;
    const sso = (role: "admin" | "viewer") =>
      provisionSsoUser({}, { email, name: "Kim", role, teamSlugs: [], issuer: "https://idp.test", subject: email });
    const kim = await sso("admin");
    if (!kim || !("id" in kim)) throw new Error("expected a person");
    const asKim: UserActor = { type: "user", id: kim.id, label: email, role: "admin", teamIds: [] };
    const asked = await setEnvironmentPolicy(asKim, {}, { environment: "prod", requireApproval: false });
    if (!("requestId" in asked)) throw new Error("expected a request");
    await sso("viewer");
    expect(await db().changeRequest.findUniqueOrThrow({ where: { id: asked.requestId } })).toMatchObject({
      status: "rejected",
      decisionNote: expect.stringContaining("no longer an admin"),
    });
    await expect(approveChangeRequest(org.admin, {}, asked.requestId)).rejects.toMatchObject({
      code: "request_closed",
    });
  });

  it("a person is the identity provider's account: another account given the same e-mail is refused; the bound account's new e-mail follows", async () => {
    const org = await makeOrg();
    const issuer = "https://idp.test";
    const sso = (email: string, subject: string, role: "admin" | "viewer" = "viewer") =>
      provisionSsoUser({}, { email, name: "x", role, teamSlugs: [], issuer, subject });
    // Created here with a password first: bound to the provider account at its first single sign-on.
    const local = await createUser(
      org.admin,
      {},
      { email: `dana-${org.tag}@test.local`, name: "Dana", role: "viewer", password: "given-by-an-admin-1" },
    );
    expect(await sso(local.email, "sub-dana")).toMatchObject({ id: local.id });
    expect((await db().user.findUniqueOrThrow({ where: { id: local.id } })).ssoSubject).toBe(`${issuer} sub-dana`);
    // The provider reassigns the address to another account (a new hire, a second tenant): refused, nothing changed.
    const before = await db().auditEvent.count();
    expect(await sso(local.email, "sub-new-hire", "admin")).toEqual({ refused: "SubjectMismatch", userId: local.id });
    expect(await db().auditEvent.count()).toBe(before);
    expect(await db().user.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({ role: "viewer" });
    // Dana's own account, renamed at the provider: the same person here, under the new e-mail (audited).
    const renamed = `dana.new-${org.tag}@test.local`;
    expect(await sso(renamed, "sub-dana")).toMatchObject({ id: local.id, email: renamed });
    expect(
      await db().auditEvent.findFirstOrThrow({
        where: { targetId: local.id, action: "user.updated" },
        orderBy: { position: "desc" },
      }),
    ).toMatchObject({ reason: "e-mail changed at the identity provider", after: { email: renamed } });
    // …but not onto an e-mail another person here has.
    expect(await sso(org.admin.label, "sub-dana")).toMatchObject({ refused: "SubjectMismatch" });
    // The issuer written with a trailing slash is the same issuer.
    expect(
      await provisionSsoUser(
        {},
        { email: renamed, name: "x", role: "viewer", teamSlugs: [], issuer: `${issuer}/`, subject: "sub-dana" },
      ),
    ).toMatchObject({ id: local.id });
    // An admin unlinks a person (the provider re-created the account): the next sign-in binds again, audited.
    await expect(unlinkSsoAccount(org.lead, {}, local.id)).rejects.toMatchObject({ kind: "forbidden" });
    await unlinkSsoAccount(org.admin, {}, local.id, { reason: "account re-created at the provider" });
    await expect(unlinkSsoAccount(org.admin, {}, local.id)).rejects.toMatchObject({ code: "sso_not_linked" });
    expect(await sso(renamed, "sub-dana-2")).toMatchObject({ id: local.id });
    expect((await db().user.findUniqueOrThrow({ where: { id: local.id } })).ssoSubject).toBe(`${issuer} sub-dana-2`);
    expect(
      await db().auditEvent.count({
        where: { targetId: local.id, action: "user.updated", reason: "account re-created at the provider" },
      }),
    ).toBe(1);
    // A first sign-in creates the person bound to its account.
    const fresh = await sso(`erin-${org.tag}@test.local`, "sub-erin");
    expect(await db().user.findUniqueOrThrow({ where: { id: (fresh as { id: string }).id } })).toMatchObject({
      ssoSubject: `${issuer} sub-erin`,
    });
    // A name from the provider keeps nothing that hides or reorders text (it is shown in confirmations); an admin's
    // own typing is refused instead.
    const named = await provisionSsoUser(
      {},
      {
        email: `fay-${org.tag}@test.local`,
        name: "Fay\u202E nimdA\u200B",
        role: "viewer",
        teamSlugs: [],
        issuer,
        subject: "sub-fay",
      },
    );
    expect(named).toMatchObject({ name: "Fay nimdA" });
    await expect(
      createUser(org.admin, {}, { email: `gus-${org.tag}@test.local`, name: "Gus\u202E", role: "viewer" }),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it("a person the identity provider makes an admin keeps no password an admin gave them; other roles keep theirs", async () => {
    const org = await makeOrg();
    const person = (name: string) =>
      createUser(
        org.admin,
        {},
        { email: `${name}-${org.tag}@test.local`, name, role: "viewer", password: "given-by-an-admin-1" },
      );
    const [boss, clerk] = [await person("boss"), await person("clerk")];
    // Whoever gave that password signs in with it as a viewer and mints a token, before the provider makes them admin:
    // the session and the token end with the password (the token would carry the admin role from then on).
    const asBoss = (sessionId: string): UserActor => ({
      type: "user",
      id: boss.id,
      label: boss.email,
      role: "viewer",
      teamIds: [],
      sessionId,
    });
    const session = await startSession(boss.id, { ip: null, userAgent: null });
    const { token } = await createPersonalAccessToken(asBoss(session), {}, { name: "kept", expiresInDays: null });
    const clerkSession = await startSession(clerk.id, { ip: null, userAgent: null });
    const sso = (email: string, role: "admin" | "viewer") =>
      provisionSsoUser({}, { email, name: "x", role, teamSlugs: [], issuer: "https://idp.test", subject: email });
    await sso(boss.email, "admin");
    expect(await actorFromPersonalToken(token)).toBeNull();
    expect(await readSession(session)).toBeNull();
    expect(await readSession(clerkSession)).not.toBeNull();
    await sso(clerk.email, "viewer");
    const row = (id: string) => db().user.findUniqueOrThrow({ where: { id } });
    expect(await row(boss.id)).toMatchObject({ role: "admin", passwordHash: null, mustChangePassword: false });
    expect((await row(clerk.id)).passwordHash).not.toBeNull();
    expect(
      await db().auditEvent.findFirstOrThrow({
        where: { targetId: boss.id, action: "user.updated" },
        orderBy: { position: "desc" },
      }),
    ).toMatchObject({ after: { role: "admin", passwordRemoved: true, sessionsEnded: 1, tokensRevoked: 1 } });
  });

  it("a deactivated person's tokens are revoked for good (reactivation does not revive them); nobody deactivates themselves", async () => {
    const org = await makeOrg();
    const { token } = await createPersonalAccessToken(org.auditor, {}, { name: "script" });
    const viaToken = await actorFromPersonalToken(token);
    expect(viaToken?.id).toBe(org.auditor.id);
    // A token cannot mint its successor (so a leaked one cannot outlive its revocation).
    await expect(createPersonalAccessToken(viaToken!, {}, { name: "successor" })).rejects.toMatchObject({
      code: "session_required",
    });
    await expect(setUserStatus(org.admin, {}, org.admin.id, "disabled")).rejects.toMatchObject({
      code: "cannot_deactivate_self",
    });
    await expect(setUserStatus(org.viewer, {}, org.auditor.id, "disabled")).rejects.toMatchObject({
      kind: "forbidden",
    });

    expect(
      await setUserStatus(org.admin, {}, org.auditor.id, "disabled", { reason: "left the company" }),
    ).toMatchObject({ status: "disabled" });
    expect(await actorFromPersonalToken(token)).toBeNull();
    expect(
      await db().auditEvent.findFirstOrThrow({ where: { targetId: org.auditor.id, action: "user.deactivated" } }),
    ).toMatchObject({ reason: "left the company", after: { status: "disabled", tokensRevoked: 1, sessionsEnded: 0 } });
    const listed = await listUsers(org.admin, { status: "disabled", q: org.tag });
    expect(listed.items.map((u) => u.id)).toEqual([org.auditor.id]);

    // Reactivated, they make new tokens: the one held while they were deactivated (perhaps by whoever took the account
    // over) stays revoked.
    await setUserStatus(org.admin, {}, org.auditor.id, "active");
    expect(await actorFromPersonalToken(token)).toBeNull();
    expect(
      (await db().personalAccessToken.findFirstOrThrow({ where: { userId: org.auditor.id } })).revokedAt,
    ).not.toBeNull();
    expect((await getUser(org.auditor, org.auditor.id)).status).toBe("active");
    await expect(listUsers(org.viewer)).rejects.toMatchObject({ kind: "forbidden" });
    await expect(listUsers(org.lead)).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("a token is not minted for a person deactivated, or from a session ended, while the request was on its way", async () => {
    const org = await makeOrg();
    // The request was authenticated just before: the session was live then, and is checked again under the person's row.
    const sessionId = await startSession(org.viewer.id, { ip: null, userAgent: null });
    const viewer = { ...org.viewer, sessionId };
    expect(await createPersonalAccessToken(viewer, {}, { name: "first" })).toMatchObject({ name: "first" });
    await setUserStatus(org.admin, {}, org.viewer.id, "disabled");
    await setUserStatus(org.admin, {}, org.viewer.id, "active");
    await expect(createPersonalAccessToken(viewer, {}, { name: "late" })).rejects.toMatchObject({
      code: "unauthenticated",
    });
    await setUserStatus(org.admin, {}, org.viewer.id, "disabled");
    await expect(createPersonalAccessToken(org.viewer, {}, { name: "disabled" })).rejects.toMatchObject({
      code: "unauthenticated",
    });
    expect(
      await db().personalAccessToken.findMany({
        where: { userId: org.viewer.id },
        select: { name: true, revokedAt: true },
      }),
    ).toEqual([{ name: "first", revokedAt: expect.any(Date) }]);
  });

  it("a person changes their own password only by proving the current one", async () => {
    const org = await makeOrg();
    const p = await createUser(
      org.admin,
      {},
      { email: `pw-${org.tag}@example.com`, name: "Pat", role: "viewer", password: "first-password-1" },
    );
    const me: UserActor = { type: "user", id: p.id, label: p.email, role: "viewer", teamIds: [] };
    const before = await counts();
    await expect(
      changeOwnPassword(
        me,
        {},
        { currentPassword: "wrong-password", newPassword: "second-password-2", confirmPassword: "second-password-2" },
      ),
    ).rejects.toMatchObject({
      kind: "validation",
      details: { currentPassword: ["is not your current password"] },
    });
    await expect(
      changeOwnPassword(
        me,
        {},
        { currentPassword: "first-password-1", newPassword: "second-password-2", confirmPassword: "typo" },
      ),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      changeOwnPassword(
        me,
        {},
        { currentPassword: "first-password-1", newPassword: "first-password-1", confirmPassword: "first-password-1" },
      ),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      changeOwnPassword(
        org.viewer,
        {},
        { currentPassword: "x", newPassword: "second-password-2", confirmPassword: "second-password-2" },
      ),
    ).rejects.toMatchObject({ code: "sso_only" });
    // Nothing changed; the wrong guess is in the trail as a failed sign-in.
    expect(await counts()).toEqual({ ...before, audit: before.audit + 1 });

    await changeOwnPassword(
      me,
      { requestId: "pw" },
      { currentPassword: "first-password-1", newPassword: "second-password-2", confirmPassword: "second-password-2" },
    );
    const row = await db().user.findUniqueOrThrow({ where: { id: p.id } });
    expect(await verifyPassword(row.passwordHash!, "second-password-2")).toBe(true);
    expect(
      await db().auditEvent.findFirstOrThrow({ where: { targetId: p.id, action: "user.password_changed" } }),
    ).toMatchObject({ actorId: p.id, requestId: "pw" });
  });

  it("keeps one active admin even when every admin is demoted or deactivated at once", async () => {
    await makeOrg();
    await makeOrg();
    const admins = await db().user.findMany({ where: { role: "admin", disabledAt: null }, select: { id: true } });
    expect(admins.length).toBeGreaterThan(1);
    const sys = systemActor("test");
    const results = await Promise.allSettled(
      admins.map((a, i) =>
        i % 2 ? updateUser(sys, {}, a.id, { role: "viewer" }) : setUserStatus(sys, {}, a.id, "disabled"),
      ),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: "last_admin" });
    expect(await db().user.count({ where: { role: "admin", disabledAt: null } })).toBe(1);
    const last = (await db().user.findFirstOrThrow({ where: { role: "admin", disabledAt: null } })) as {
      id: string;
      email: string;
    };
    const lastActor: UserActor = { type: "user", id: last.id, label: last.email, role: "admin", teamIds: [] };
    await expect(updateUser(lastActor, {}, last.id, { role: "auditor" })).rejects.toMatchObject({ code: "last_admin" });
  });

  it("the identity provider cannot demote the last active admin: they stay an admin (audited) until another exists", async () => {
    const org = await makeOrg();
    const sys = systemActor("test");
    const email = `last-${org.tag}@test.local`;
    const sso = (role: "admin" | "viewer") =>
      provisionSsoUser(
        {},
        { email, name: "Lee", role, teamSlugs: [org.team.slug], issuer: "https://idp.test", subject: email },
      );
    const lee = await sso("admin");
    if (!lee || !("id" in lee)) throw new Error("expected a person");
    // Lee becomes the organisation's only active admin.
    for (const a of await db().user.findMany({ where: { role: "admin", disabledAt: null, id: { not: lee.id } } }))
      await setUserStatus(sys, {}, a.id, "disabled");
    expect(await sso("viewer")).toMatchObject({ id: lee.id, role: "admin" });
    expect(await db().teamMembership.count({ where: { userId: lee.id, teamId: org.team.id } })).toBe(1);
    expect(
      await db().auditEvent.findFirstOrThrow({
        where: { targetId: lee.id, action: "user.updated" },
        orderBy: { position: "desc" },
      }),
    ).toMatchObject({
      after: { role: "admin", providerRole: "viewer" },
      reason: expect.stringContaining("last active admin"),
    });
    // Once another admin exists, the provider's role applies.
    await createUser(sys, {}, { email: `next-${org.tag}@test.local`, name: "Next", role: "admin" });
    expect(await sso("viewer")).toMatchObject({ id: lee.id, role: "viewer" });
  });
});
