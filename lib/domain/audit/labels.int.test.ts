import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { systemActor, type UserActor } from "../actor";
import { registerAgent } from "../agents/register-agent";
import { createBudget } from "../budgets/create-budget";
import { approveChangeRequest } from "../changes/decide-change-request";
import { deployVersion } from "../deployments/deploy-version";
import { createAgentKey } from "../keys/create-agent-key";
import { createOutcomeType } from "../outcomes/outcome-types";
import { addPermissionRule } from "../permissions/add-permission-rule";
import { deletePermissionRule } from "../permissions/delete-permission-rule";
import { createResource } from "../resources/catalogue";
import { createUser } from "../users/create-user";
import { createAgentVersion } from "../versions/create-agent-version";
import { HASHED_MEMBERS } from "./hash";
import { listAuditEvents } from "./queries";
import { verifyAuditChain } from "./verify-audit-chain";
import { auditEventView } from "./view";
import { writeAuditEvent } from "./write-audit-event";

type Page = Awaited<ReturnType<typeof listAuditEvents>>;
/** The labels of the newest event of this action on the page. */
const labelsOf = (page: Page, action: string) => {
  const event = page.items.find((e) => e.action === action);
  if (!event) throw new Error(`no ${action} on the page`);
  return page.labels[event.position];
};

async function secondAdmin(tag: string): Promise<UserActor> {
  const u = await createUser(
    systemActor(),
    {},
    { email: `admin2-${tag}@test.local`, name: `Bea Second ${tag}`, role: "admin" },
  );
  return { type: "user", id: u.id, label: u.email, role: "admin", teamIds: [] };
}

describe("audit labels, resolved when read", () => {
  it("names every kind of target, and the requester and approver of a four-eyes deployment", async () => {
    const org = await makeOrg();
    const admin2 = await secondAdmin(org.tag);
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `lab-${org.tag}`));
    await createAgentVersion(org.admin, {}, agent.id, { model: "gpt-5", note: "v2" });
    await addPermissionRule(org.admin, {}, agent.id, { effect: "allow", action: "tool:invoke", resource: "github.*" });
    await createBudget(
      org.admin,
      {},
      {
        name: `Support cap ${org.tag}`,
        scope: "team",
        teamId: org.team.id,
        period: "month",
        limitUsd: 100,
      },
    );
    await createAgentKey(org.admin, {}, agent.id, { name: "ci runner" });
    await createResource(
      org.admin,
      {},
      { name: `Tickets ${org.tag}`, pattern: `db:${org.tag}/tickets*`, kind: "dataset", classification: "internal" },
    );
    await createOutcomeType(org.admin, {}, { name: `ticket.solved${org.tag}`, unit: "ticket" });
    const page = await listAuditEvents(org.auditor, { limit: 200 });

    expect(labelsOf(page, "agent.registered").target).toBe(`Agent lab-${org.tag} (lab-${org.tag})`);
    expect(labelsOf(page, "version.created").target).toBe(`lab-${org.tag} v2`);
    expect(labelsOf(page, "permission.created").target).toBe(`rule #1: allow tool:invoke github.* (lab-${org.tag})`);
    expect(labelsOf(page, "budget.created").target).toBe(`Support cap ${org.tag} (team Team ${org.tag})`);
    expect(labelsOf(page, "key.created").target).toBe(`lab-${org.tag} · ci runner`);
    expect(labelsOf(page, "resource.created").target).toBe(`Tickets ${org.tag}`);
    expect(labelsOf(page, "outcome_type.created").target).toBe(`ticket.solved${org.tag}`);
    expect(labelsOf(page, "agent.registered").actor).toBe(`admin ${org.tag} (admin-${org.tag}@test.local)`);
    // Nothing secret in a label: no key hash, no key body.
    const key = await db().agentKey.findFirstOrThrow({ where: { agentId: agent.id } });
    expect(JSON.stringify(page.labels)).not.toContain(key.hash);

    // A person as a target, and a team.
    const people = await listAuditEvents(org.auditor, { action: "user.created", targetId: admin2.id });
    expect(people.labels[people.items[0].position].target).toBe(`Bea Second ${org.tag} (admin2-${org.tag}@test.local)`);
    const teams = await listAuditEvents(org.admin, { action: "team.created", targetId: org.team.id });
    expect(teams.labels[teams.items[0].position].target).toBe(`Team ${org.tag}`);

    // Four-eyes in prod: a deployment and then a rollback, each requested by one admin and approved by another.
    const prod = await registerAgent(
      systemActor(),
      {},
      { ...agentInput(org.team.id, `labp-${org.tag}`), environment: "prod" },
    );
    await createAgentVersion(org.admin, {}, prod.id, { model: "gpt-5", note: "v2" });
    const deploy = await deployVersion(org.admin, {}, prod.id, { versionNumber: 2, reason: "ship it" });
    if (deploy.status !== "pending_approval") throw new Error("expected a request");
    await approveChangeRequest(admin2, {}, deploy.requestId);
    const rollback = await deployVersion(org.admin, {}, prod.id, { versionNumber: 1, reason: "v2 is wrong" });
    if (rollback.status !== "pending_approval") throw new Error("expected a request");
    await approveChangeRequest(admin2, {}, rollback.requestId);

    const trail = await listAuditEvents(org.auditor, { agentId: prod.id, action: "deployment." });
    const requester = { id: org.admin.id, label: `admin ${org.tag}` };
    const approver = { id: admin2.id, label: `Bea Second ${org.tag}` };
    for (const action of ["deployment.created", "deployment.rolled_back", "deployment.approved"]) {
      expect(labelsOf(trail, action)).toMatchObject({ requestedBy: requester, approvedBy: approver });
    }
    // The rollback's actor is the approver; the requester comes from the deployment it made.
    const rolledBack = trail.items.find((e) => e.action === "deployment.rolled_back")!;
    expect(rolledBack.actorId).toBe(admin2.id);
    expect(labelsOf(trail, "deployment.approved").target).toBe(`rollback labp-${org.tag} to v1`);
    expect(labelsOf(trail, "deployment.requested")).toMatchObject({ requestedBy: null, approvedBy: null });
    expect(trail.items.find((e) => e.action === "deployment.requested")!.targetType).toBe("deployment_request");
    // Without four-eyes there is no requester/approver pair to show.
    const dev = await listAuditEvents(org.auditor, { agentId: agent.id });
    for (const e of dev.items) expect(dev.labels[e.position]).toMatchObject({ requestedBy: null, approvedBy: null });
  });

  it("falls back gracefully for objects that no longer exist, and changes nothing that is hashed", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `gone-${org.tag}`));
    const rule = await addPermissionRule(org.admin, {}, agent.id, {
      effect: "deny",
      action: "data:read",
      resource: "customers/*",
    });
    await deletePermissionRule(org.admin, {}, agent.id, rule.id);
    await createAgentKey(org.admin, {}, agent.id, { name: "short-lived" });
    const key = await db().agentKey.findFirstOrThrow({ where: { agentId: agent.id } });
    // A row removed outside the app (a purge, a restore): the label degrades to the short id.
    await db().agentKey.delete({ where: { id: key.id } });

    const page = await listAuditEvents(org.auditor, { agentId: agent.id });
    // A deleted rule is named from the snapshot its own events carry.
    expect(labelsOf(page, "permission.deleted").target).toBe(`deleted rule: deny data:read customers/*`);
    expect(labelsOf(page, "permission.created").target).toBe(`deleted rule: deny data:read customers/*`);
    expect(labelsOf(page, "key.created").target).toBe(`…${key.id.slice(-8)}`);

    // Items are exactly the hashed object plus its hash: labels ride beside them, never inside.
    const stored = await db().auditEvent.findMany({ where: { agentId: agent.id }, orderBy: { position: "desc" } });
    expect(page.items).toEqual(stored.map(auditEventView));
    for (const item of page.items) expect(Object.keys(item).sort()).toEqual([...HASHED_MEMBERS, "hash"].sort());
    expect(Object.keys(page.labels).sort()).toEqual(page.items.map((e) => e.position).sort());
    expect((await verifyAuditChain()).intact).toBe(true);
  });

  it("is only for audit readers: a team lead or a viewer gets no labels, not even of their own team's objects", async () => {
    const org = await makeOrg();
    await registerAgent(org.admin, {}, agentInput(org.team.id, `scope-${org.tag}`));
    for (const who of [org.lead, org.viewer]) {
      await expect(listAuditEvents(who, { teamId: org.team.id })).rejects.toMatchObject({ kind: "forbidden" });
    }
    const auditor = await listAuditEvents(org.auditor, { teamId: org.team.id });
    expect(auditor.items.length).toBeGreaterThan(0);
  });

  it("hides successful sign-ins on request, never failed ones", async () => {
    const org = await makeOrg();
    const signIn = (action: "user.signed_in" | "user.sign_in_failed") =>
      inTransaction((tx) =>
        writeAuditEvent(
          tx,
          org.viewer,
          { ip: "203.0.113.9" },
          {
            action,
            targetType: "user",
            targetId: org.viewer.id,
            outcome: action === "user.signed_in" ? "success" : "failure",
          },
        ),
      );
    await signIn("user.signed_in");
    await signIn("user.sign_in_failed");
    await signIn("user.signed_in");
    const actions = async (raw: Record<string, unknown>) =>
      (await listAuditEvents(org.auditor, { targetId: org.viewer.id, ...raw })).items.map((e) => e.action);

    expect(await actions({})).toEqual(["user.signed_in", "user.sign_in_failed", "user.signed_in", "user.created"]);
    expect(await actions({ excludeSignIns: "false" })).toHaveLength(4);
    expect(await actions({ excludeSignIns: "true" })).toEqual(["user.sign_in_failed", "user.created"]);
    // Even combined with an area filter that names them.
    expect(await actions({ excludeSignIns: "true", action: "user." })).toEqual(["user.sign_in_failed", "user.created"]);
    // A value that is not a boolean is a field error, not a silent "false".
    await expect(actions({ excludeSignIns: "yes" })).rejects.toBeInstanceOf(ZodError);
    await expect(actions({ excludeSignIns: "0" })).rejects.toBeInstanceOf(ZodError);
  });
});
