import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { systemActor, type UserActor } from "../actor";
import { registerAgent } from "../agents/register-agent";
import { retireAgent } from "../agents/retire-agent";
import { approveChangeRequest, rejectChangeRequest } from "../changes/decide-change-request";
import { createAgentKey } from "../keys/create-agent-key";
import { getRuntimeConfig } from "../runtime/get-runtime-config";
import { createUser } from "../users/create-user";
import { createAgentVersion } from "../versions/create-agent-version";
import { deployVersion } from "./deploy-version";
import { setEnvironmentPolicy } from "./policies";

const v = (model: string, note: string) => ({ model, note, systemPrompt: `uses ${model}` });

describe("deployments", () => {
  it("deploys, rolls back with a reason as a new deployment, and serves the live config with a new ETag", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `dep-${org.tag}`));
    await createAgentVersion(org.admin, {}, agent.id, v("gpt-5", "v2"));
    await createAgentVersion(org.admin, {}, agent.id, v("claude-sonnet-4-5", "v3"));
    expect(await deployVersion(org.admin, {}, agent.id, { versionNumber: 3 })).toMatchObject({
      status: "deployed",
      kind: "deploy",
    });
    const at3 = await getRuntimeConfig(agent.id);
    expect(at3.body.config.model).toBe("claude-sonnet-4-5");

    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 2 })).rejects.toMatchObject({
      kind: "validation",
    });
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 3, reason: "again" })).rejects.toMatchObject({
      code: "already_deployed",
    });
    await expect(deployVersion(org.viewer, {}, agent.id, { versionNumber: 2, reason: "x" })).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: "2" } as never)).rejects.toBeInstanceOf(
      ZodError,
    );
    expect(await deployVersion(org.admin, {}, agent.id, { versionNumber: 2, reason: "v3 hallucinates" })).toMatchObject(
      { status: "deployed", kind: "rollback" },
    );

    const at2 = await getRuntimeConfig(agent.id);
    expect(at2.body.version.number).toBe(2);
    expect(at2.etag).not.toBe(at3.etag);
    const history = await db().deployment.findMany({
      where: { agentId: agent.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: { version: true },
    });
    expect(history.map((h) => [h.version.number, h.kind])).toEqual([
      [1, "deploy"],
      [3, "deploy"],
      [2, "rollback"],
    ]);
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { agentId: agent.id, action: "deployment.rolled_back" },
    });
    expect(audit.before).toEqual({ deployedVersion: 3 });
    expect(audit.after).toMatchObject({ deployedVersion: 2 });
    expect(audit.reason).toBe("v3 hallucinates");
  });

  it("in prod, four-eyes: the requester cannot approve their own request; a second admin can, which deploys", async () => {
    const org = await makeOrg();
    const other = await createUser(
      systemActor(),
      {},
      { email: `admin2-${org.tag}@test.local`, name: "Second admin", role: "admin" },
    );
    const admin2: UserActor = { type: "user", id: other.id, label: other.email, role: "admin", teamIds: [] };
    const agent = await registerAgent(
      systemActor(),
      {},
      { ...agentInput(org.team.id, `prod-${org.tag}`), environment: "prod" },
    );
    await createAgentVersion(org.admin, {}, agent.id, v("gpt-5", "v2"));

    const requested = await deployVersion(org.admin, {}, agent.id, { versionNumber: 2, reason: "ship it" });
    expect(requested).toMatchObject({ status: "pending_approval", kind: "deploy" });
    if (requested.status !== "pending_approval") throw new Error("expected a request");
    expect((await getRuntimeConfig(agent.id)).body.version.number).toBe(1);

    await expect(approveChangeRequest(org.admin, {}, requested.requestId)).rejects.toMatchObject({
      kind: "forbidden",
      code: "self_approval",
    });
    await expect(approveChangeRequest(org.lead, {}, requested.requestId)).rejects.toMatchObject({ kind: "forbidden" });
    const approved = await approveChangeRequest(admin2, {}, requested.requestId, { note: "looks good" });
    expect(approved.status).toBe("approved");
    expect((await getRuntimeConfig(agent.id)).body.version.number).toBe(2);
    const dep = await db().deployment.findUniqueOrThrow({ where: { id: approved.deploymentId! } });
    expect(dep).toMatchObject({ deployedById: org.admin.id, approvedById: admin2.id });
    await expect(approveChangeRequest(admin2, {}, requested.requestId)).rejects.toMatchObject({
      code: "request_closed",
    });
    const actions = (
      await db().auditEvent.findMany({ where: { agentId: agent.id }, orderBy: { position: "asc" } })
    ).map((e) => e.action);
    expect(actions.slice(-3)).toEqual(["deployment.requested", "deployment.created", "deployment.approved"]);

    const rollback = await deployVersion(admin2, {}, agent.id, { versionNumber: 1, reason: "regression" });
    if (rollback.status !== "pending_approval") throw new Error("expected a request");
    await rejectChangeRequest(org.admin, {}, rollback.requestId, { note: "not needed" });
    expect((await getRuntimeConfig(agent.id)).body.version.number).toBe(2);

    await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: false });
    try {
      expect(await deployVersion(org.admin, {}, agent.id, { versionNumber: 1, reason: "direct" })).toMatchObject({
        status: "deployed",
        kind: "rollback",
      });
    } finally {
      await setEnvironmentPolicy(systemActor(), {}, { environment: "prod", requireApproval: true });
    }
  });

  it("two admins approving one request at once deploy it once; retiring the agent closes its pending requests and stops new ones", async () => {
    const org = await makeOrg();
    const admins = await Promise.all(
      [2, 3].map(async (n) => {
        const u = await createUser(
          systemActor(),
          {},
          { email: `admin${n}-${org.tag}@test.local`, name: `Admin ${n}`, role: "admin" },
        );
        return { type: "user", id: u.id, label: u.email, role: "admin", teamIds: [] } as UserActor;
      }),
    );
    const agent = await registerAgent(
      systemActor(),
      {},
      { ...agentInput(org.team.id, `race-${org.tag}`), environment: "prod" },
    );
    await createAgentVersion(org.admin, {}, agent.id, v("gpt-5", "v2"));
    const requested = await deployVersion(org.admin, {}, agent.id, { versionNumber: 2, reason: "ship it" });
    if (requested.status !== "pending_approval") throw new Error("expected a request");
    const results = await Promise.allSettled(admins.map((a) => approveChangeRequest(a, {}, requested.requestId)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({
      code: "request_closed",
    });
    expect(await db().deployment.count({ where: { agentId: agent.id } })).toBe(2); // version 1 at registration, then version 2 once

    const pending = await deployVersion(org.admin, {}, agent.id, { versionNumber: 1, reason: "roll back" });
    if (pending.status !== "pending_approval") throw new Error("expected a request");
    await retireAgent(admins[0], { requestId: "retire-2" }, agent.id, { reason: "replaced" });
    await expect(approveChangeRequest(admins[1], {}, pending.requestId)).rejects.toMatchObject({
      code: "request_closed",
    });
    // Rejected as a person's rejection is: its own audit event, in the retirement's name and request.
    expect(
      await db().auditEvent.findFirst({ where: { action: "deployment.rejected", targetId: pending.requestId } }),
    ).toMatchObject({
      actorId: admins[0].id,
      requestId: "retire-2",
      reason: "agent retired: replaced",
      after: { status: "rejected", change: "deployment", version: 1 },
    });
    await expect(createAgentVersion(org.admin, {}, agent.id, v("gpt-5", "v3"))).rejects.toMatchObject({
      code: "agent_retired",
    });
    await expect(deployVersion(org.admin, {}, agent.id, { versionNumber: 1, reason: "x" })).rejects.toMatchObject({
      code: "agent_retired",
    });
    await expect(createAgentKey(org.admin, {}, agent.id, { name: "late" })).rejects.toMatchObject({
      code: "agent_retired",
    });
  });
});
