import { describe, expect, it } from "vitest";
import { actorFromPersonalToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { systemActor, type UserActor } from "../actor";
import { registerAgent } from "../agents/register-agent";
import { updateAgent } from "../agents/update-agent";
import { deployVersion } from "../deployments/deploy-version";
import { requiresApproval, setEnvironmentPolicy, setRequiredSuites } from "../deployments/policies";
import { gatePolicy } from "../evals/gates";
import { getRuntimeConfig } from "../runtime/get-runtime-config";
import { createPersonalAccessToken } from "../tokens/create-personal-access-token";
import { changeOwnPassword } from "../users/change-own-password";
import { createUser } from "../users/create-user";
import { readSession, startSession } from "../users/sessions";
import { setUserStatus } from "../users/set-user-status";
import { updateUser } from "../users/update-user";
import { createAgentVersion } from "../versions/create-agent-version";
import { approveChangeRequest, rejectChangeRequest } from "./decide-change-request";

const asActor = (u: { id: string; email: string }, role: UserActor["role"] = "admin"): UserActor => ({
  type: "user",
  id: u.id,
  label: u.email,
  role,
  teamIds: [],
});

/** One admin alone must not get a version live in a four-eyes environment, by any path. */
describe("four-eyes holds against one admin", () => {
  async function setup() {
    const org = await makeOrg();
    const ops = asActor(
      await createUser(systemActor(), {}, { email: `ops-${org.tag}@test.local`, name: "Ops", role: "admin" }),
    );
    const agent = await registerAgent(
      systemActor(),
      {},
      { ...agentInput(org.team.id, `fe-${org.tag}`), environment: "prod" },
    );
    await createAgentVersion(org.admin, {}, agent.id, { model: "gpt-5", note: "v2" });
    const live = async () => (await getRuntimeConfig(agent.id)).body.version.number;
    return { org, ops, agent, live };
  }

  it("turning approval off is a request; deploying meanwhile still waits; a second admin's approval turns it off", async () => {
    const { org, ops, agent, live } = await setup();
    const off = await setEnvironmentPolicy(org.admin, {}, { environment: "prod", requireApproval: false });
    expect(off).toMatchObject({ status: "pending_approval" });
    expect(await requiresApproval(db(), "prod")).toBe(true);
    expect(await deployVersion(org.admin, {}, agent.id, { versionNumber: 2 })).toMatchObject({
      status: "pending_approval",
    });
    expect(await live()).toBe(1);
    if (!("requestId" in off)) throw new Error("expected a request");
    await expect(approveChangeRequest(org.admin, {}, off.requestId)).rejects.toMatchObject({ code: "self_approval" });
    await approveChangeRequest(ops, {}, off.requestId);
    expect(await requiresApproval(db(), "prod")).toBe(false);
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: "policy.updated", targetId: "prod" },
      orderBy: { position: "desc" },
    });
    expect(audit).toMatchObject({ actorId: ops.id, after: { requireApproval: false, requestId: off.requestId } });
    // Turning it back on weakens nothing: immediate.
    expect(await setEnvironmentPolicy(org.admin, {}, { environment: "prod", requireApproval: true })).toEqual({
      environment: "prod",
      requireApproval: true,
    });
  });

  it("dropping a required eval suite is a request; adding one is immediate", async () => {
    const { org, ops } = await setup();
    expect(
      await setRequiredSuites(org.admin, {}, { environment: "staging", suites: ["safety", "regression"] }),
    ).toMatchObject({ requiredSuites: ["regression", "safety"] });
    const drop = await setRequiredSuites(
      org.admin,
      {},
      { environment: "staging", suites: ["regression"], reason: "flaky" },
    );
    expect(drop).toMatchObject({ status: "pending_approval" });
    expect((await gatePolicy(db(), "staging")).requiredSuites).toEqual(["regression", "safety"]);
    if (!("requestId" in drop)) throw new Error("expected a request");
    // A suite added after the request would be dropped unseen: the approval is refused as stale.
    await setRequiredSuites(org.admin, {}, { environment: "staging", suites: ["regression", "safety", "toxicity"] });
    await expect(approveChangeRequest(ops, {}, drop.requestId)).rejects.toMatchObject({ code: "request_stale" });
    await rejectChangeRequest(ops, {}, drop.requestId);
    const again = await setRequiredSuites(
      org.admin,
      {},
      { environment: "staging", suites: ["regression"], reason: "flaky" },
    );
    if (!("requestId" in again)) throw new Error("expected a request");
    await approveChangeRequest(ops, {}, again.requestId);
    expect((await gatePolicy(db(), "staging")).requiredSuites).toEqual(["regression"]);
  });

  it("moving the agent out of prod waits (its keys would take what one admin deploys in dev); the move back waits, and goes stale if the live version changes", async () => {
    const { org, ops, agent, live } = await setup();
    // Leaving four-eyes is a weakening: a request; the agent stays in prod, and a deployment there still waits.
    const out = await updateAgent(org.admin, {}, agent.id, { environment: "dev" });
    expect(out).toMatchObject({ environment: "prod", pendingChange: { status: "pending_approval" } });
    expect(await deployVersion(org.admin, {}, agent.id, { versionNumber: 2 })).toMatchObject({
      status: "pending_approval",
    });
    expect(await live()).toBe(1);
    await expect(approveChangeRequest(org.admin, {}, out.pendingChange!.requestId)).rejects.toMatchObject({
      code: "self_approval",
    });
    await approveChangeRequest(ops, {}, out.pendingChange!.requestId);
    expect((await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).environment).toBe("dev");
    // Also an agent with nothing live: its keys would serve what is deployed next.
    const idle = await registerAgent(
      systemActor(),
      {},
      { ...agentInput(org.team.id, `idle-${org.tag}`), environment: "prod" },
    );
    await db().agent.update({ where: { id: idle.id }, data: { deployedVersionId: null } });
    expect(await updateAgent(org.admin, {}, idle.id, { environment: "staging" })).toMatchObject({
      environment: "prod",
      pendingChange: { status: "pending_approval" },
    });
    // Leaving a required suite behind (no four-eyes either side) waits too.
    const { requiredSuites } = await gatePolicy(db(), "staging");
    await setRequiredSuites(systemActor(), {}, { environment: "staging", suites: ["smoke"] });
    const gated = await registerAgent(
      systemActor(),
      {},
      { ...agentInput(org.team.id, `gated-${org.tag}`), environment: "dev" },
    );
    await db().agent.update({ where: { id: gated.id }, data: { environment: "staging" } });
    expect(await updateAgent(org.admin, {}, gated.id, { environment: "dev" })).toMatchObject({
      environment: "staging",
      pendingChange: { status: "pending_approval" },
    });
    await setRequiredSuites(systemActor(), {}, { environment: "staging", suites: requiredSuites });

    expect(await deployVersion(org.admin, {}, agent.id, { versionNumber: 2 })).toMatchObject({ status: "deployed" });
    const back = await updateAgent(org.admin, {}, agent.id, { environment: "prod", name: "Renamed" });
    expect(back).toMatchObject({ environment: "dev", name: "Renamed", pendingChange: { status: "pending_approval" } });
    expect((await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).environment).toBe("dev");
    await expect(approveChangeRequest(org.admin, {}, back.pendingChange!.requestId)).rejects.toMatchObject({
      code: "self_approval",
    });

    // The approver judged "this agent with version 2 live": a deployment after the request was never reviewed.
    await deployVersion(org.admin, {}, agent.id, { versionNumber: 1, reason: "swap" });
    await expect(approveChangeRequest(ops, {}, back.pendingChange!.requestId)).rejects.toMatchObject({
      code: "request_stale",
    });
    await rejectChangeRequest(org.admin, {}, back.pendingChange!.requestId);

    const again = await updateAgent(org.admin, {}, agent.id, { environment: "prod" });
    await approveChangeRequest(ops, {}, again.pendingChange!.requestId);
    expect((await db().agent.findUniqueOrThrow({ where: { id: agent.id } })).environment).toBe("prod");
    expect(await live()).toBe(1);
  });

  it("a deployment request goes stale once another version went live since it was asked", async () => {
    const { org, ops, agent, live } = await setup();
    await createAgentVersion(org.admin, {}, agent.id, { model: "gpt-5.1", note: "v3" });
    const toV2 = await deployVersion(org.admin, {}, agent.id, { versionNumber: 2 });
    const toV3 = await deployVersion(org.admin, {}, agent.id, { versionNumber: 3 });
    if (!("requestId" in toV2) || !("requestId" in toV3)) throw new Error("expected requests");
    await approveChangeRequest(ops, {}, toV3.requestId);
    expect(await live()).toBe(3);
    // The approver of v2 would judge "v2 replacing v1": it would now replace v3 (a rollback, never reviewed as one).
    await expect(approveChangeRequest(ops, {}, toV2.requestId)).rejects.toMatchObject({ code: "request_stale" });
    expect(await live()).toBe(3);
  });

  it("a deactivated or demoted admin's waiting requests are withdrawn; one left from before cannot be approved", async () => {
    const { org, ops, agent, live } = await setup();
    const third = asActor(
      await createUser(systemActor(), {}, { email: `third-${org.tag}@test.local`, name: "Third", role: "admin" }),
    );
    const asked = await deployVersion(ops, {}, agent.id, { versionNumber: 2, reason: "urgent hotfix" });
    if (!("requestId" in asked)) throw new Error("expected a request");
    const deactivated = await setUserStatus(org.admin, {}, ops.id, "disabled");
    expect(deactivated).toMatchObject({ id: ops.id });
    expect(await db().changeRequest.findUniqueOrThrow({ where: { id: asked.requestId } })).toMatchObject({
      status: "rejected",
      decidedById: org.admin.id,
      decisionNote: expect.stringContaining("deactivated"),
    });
    await expect(approveChangeRequest(third, {}, asked.requestId)).rejects.toMatchObject({ code: "request_closed" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: "user.deactivated", targetId: ops.id } });
    expect(audit.after).toMatchObject({ requestsWithdrawn: 1 });

    // Demoted: the same.
    const again = await deployVersion(third, {}, agent.id, { versionNumber: 2 });
    if (!("requestId" in again)) throw new Error("expected a request");
    await updateUser(org.admin, {}, third.id, { role: "viewer" });
    expect((await db().changeRequest.findUniqueOrThrow({ where: { id: again.requestId } })).status).toBe("rejected");

    // A request whose asker lost the role another way (no withdrawal): refused when approved.
    const old = await deployVersion(org.admin, {}, agent.id, { versionNumber: 2 });
    if (!("requestId" in old)) throw new Error("expected a request");
    await db().user.update({ where: { id: org.admin.id }, data: { role: "viewer" } });
    await setUserStatus(systemActor(), {}, ops.id, "active");
    await expect(approveChangeRequest(ops, {}, old.requestId)).rejects.toMatchObject({ code: "request_stale" });
    expect(await live()).toBe(1);
    await db().user.update({ where: { id: org.admin.id }, data: { role: "admin" } });
  });

  it("nobody sets another admin's password (signing in as them would be a second approver)", async () => {
    const { org, ops } = await setup();
    const before = await db().user.findUniqueOrThrow({ where: { id: ops.id } });
    await expect(updateUser(org.admin, {}, ops.id, { password: "a-new-password-123" })).rejects.toMatchObject({
      kind: "forbidden",
      code: "admin_password",
    });
    expect((await db().user.findUniqueOrThrow({ where: { id: ops.id } })).passwordHash).toBe(before.passwordHash);
    // Nor their own here: a leaked token could set it and sign in as them. Settings asks for the current one.
    const own = await db().user.findUniqueOrThrow({ where: { id: org.admin.id } });
    await expect(updateUser(org.admin, {}, org.admin.id, { password: "a-new-password-123" })).rejects.toMatchObject({
      kind: "forbidden",
      code: "own_password",
    });
    expect((await db().user.findUniqueOrThrow({ where: { id: org.admin.id } })).passwordHash).toBe(own.passwordHash);
    // A non-admin's password can still be set (the person must change it at next sign-in).
    await expect(updateUser(org.admin, {}, org.viewer.id, { password: "a-new-password-123" })).resolves.toMatchObject({
      id: org.viewer.id,
    });
  });

  it("creating a second admin, or promoting someone, waits for another admin; until then they cannot approve", async () => {
    const { org, ops, agent, live } = await setup();
    const sock = await createUser(
      org.admin,
      {},
      { email: `sock-${org.tag}@test.local`, name: "Sock", role: "admin", password: "sock-password-123" },
    );
    expect(sock).toMatchObject({ role: "viewer", pendingChange: { status: "pending_approval" } });
    const request = await deployVersion(org.admin, {}, agent.id, { versionNumber: 2 });
    if (request.status !== "pending_approval") throw new Error("expected a request");
    await expect(approveChangeRequest(asActor(sock, "viewer"), {}, request.requestId)).rejects.toMatchObject({
      kind: "forbidden",
    });
    expect(await live()).toBe(1);

    const promoted = await updateUser(org.admin, {}, org.viewer.id, { role: "admin", name: "Promoted" });
    expect(promoted).toMatchObject({ role: "viewer", name: "Promoted", pendingChange: { status: "pending_approval" } });
    if (!("pendingChange" in promoted) || !promoted.pendingChange) throw new Error("expected a request");
    await approveChangeRequest(ops, {}, promoted.pendingChange.requestId);
    expect((await db().user.findUniqueOrThrow({ where: { id: org.viewer.id } })).role).toBe("admin");
    // The system (seed) acts alone.
    expect(
      await createUser(systemActor(), {}, { email: `sys-${org.tag}@test.local`, name: "Sys", role: "admin" }),
    ).toMatchObject({ role: "admin" });
  });

  it("whoever knows a person's one-time password cannot get them made an admin: not set while a promotion waits, and no promotion approved until they chose their own", async () => {
    const { org, ops } = await setup();
    const requestOf = (r: object) => {
      const pending = "pendingChange" in r ? (r.pendingChange as { requestId: string } | undefined) : undefined;
      if (!pending) throw new Error("expected a request");
      return pending.requestId;
    };
    const role = async (id: string) => (await db().user.findUniqueOrThrow({ where: { id } })).role;
    // Ops asks for the viewer to become an admin; the other admin would set the viewer's password, sign in as them,
    // choose "their" password and approve: two admins' sign-ins for one person.
    const promotion = requestOf(await updateUser(ops, {}, org.viewer.id, { role: "admin" }));
    const hash = (await db().user.findUniqueOrThrow({ where: { id: org.viewer.id } })).passwordHash;
    await expect(updateUser(org.admin, {}, org.viewer.id, { password: "i-am-you-now-123" })).rejects.toMatchObject({
      kind: "conflict",
      code: "promotion_pending",
    });
    expect((await db().user.findUniqueOrThrow({ where: { id: org.viewer.id } })).passwordHash).toBe(hash);
    // A token the viewer minted before is not made an admin's token by the promotion: it ends with their sessions.
    const session = await startSession(org.viewer.id, { ip: null, userAgent: null });
    const { token } = await createPersonalAccessToken({ ...org.viewer, sessionId: session }, {}, { name: "before" });
    await approveChangeRequest(org.admin, {}, promotion);
    expect(await role(org.viewer.id)).toBe("admin");
    expect(await actorFromPersonalToken(token)).toBeNull();
    expect(await readSession(session)).toBeNull();

    // A new person created as an admin with a password the creator chose: no one approves it while that password
    // is the one-time one; the request waits, and goes through once they chose their own.
    const password = "one-time-password-1";
    const sock = await createUser(
      org.admin,
      {},
      { email: `sock2-${org.tag}@test.local`, name: "Sock", role: "admin", password },
    );
    const created = requestOf(sock);
    await expect(approveChangeRequest(ops, {}, created)).rejects.toMatchObject({
      kind: "conflict",
      code: "password_not_own",
    });
    expect(await role(sock.id)).toBe("viewer");
    expect(await db().changeRequest.findUniqueOrThrow({ where: { id: created } })).toMatchObject({ status: "pending" });
    await changeOwnPassword(
      asActor(sock, "viewer"),
      {},
      {
        currentPassword: password,
        newPassword: "my-own-password-22",
        confirmPassword: "my-own-password-22",
      },
    );
    await approveChangeRequest(ops, {}, created);
    expect(await role(sock.id)).toBe("admin");

    // The same when the password was set before anyone asked: the approval waits for the person's own.
    const lead = await createUser(
      org.admin,
      {},
      { email: `lead2-${org.tag}@test.local`, name: "Lead", role: "viewer" },
    );
    await updateUser(org.admin, {}, lead.id, { password: "another-one-time-1" });
    const later = requestOf(await updateUser(ops, {}, lead.id, { role: "admin" }));
    await expect(approveChangeRequest(org.admin, {}, later)).rejects.toMatchObject({ code: "password_not_own" });
    expect(await role(lead.id)).toBe("viewer");
  });

  it("registering an agent straight into prod deploys nothing until a second admin approves version 1", async () => {
    const { org, ops } = await setup();
    const agent = await registerAgent(
      org.admin,
      {},
      { ...agentInput(org.team.id, `reg-prod-${org.tag}`), environment: "prod" },
    );
    expect(agent.deployedVersion).toBeNull();
    expect(agent).toMatchObject({ pendingChange: { status: "pending_approval" } });
    await expect(getRuntimeConfig(agent.id)).rejects.toMatchObject({ code: "no_deployed_version" });
    expect(await db().deployment.count({ where: { agentId: agent.id } })).toBe(0);
    if (!("pendingChange" in agent)) throw new Error("expected a request");
    const requestId = agent.pendingChange.requestId;
    await expect(approveChangeRequest(org.admin, {}, requestId)).rejects.toMatchObject({ code: "self_approval" });
    await approveChangeRequest(ops, {}, requestId);
    expect((await getRuntimeConfig(agent.id)).body.version.number).toBe(1);
  });
});
