import { describe, expect, it, onTestFinished } from "vitest";
import { ZodError } from "zod";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import type { UserActor } from "../actor";
import { registerAgent } from "../agents/register-agent";
import { retireAgent } from "../agents/retire-agent";
import { resumeAgent, suspendAgent } from "../agents/set-agent-status";
import { createBudget } from "../budgets/create-budget";
import { authorizeAction } from "../decisions/authorize-action";
import { evaluateAccess } from "../decisions/authzen";
import { simulateDecision } from "../decisions/simulate-decision";
import type { DomainError } from "../errors";
import { addPermissionRule } from "../permissions/add-permission-rule";
import { deletePermissionRule } from "../permissions/delete-permission-rule";
import { updatePermissionRule } from "../permissions/update-permission-rule";
import { createWebhookEndpoint } from "../webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "../webhooks/delete-webhook-endpoint";
import { approveApproval, denyApproval } from "./decide-approval";
import { expireDueApprovals } from "./expire-approvals";
import { MAX_PENDING_APPROVALS } from "./lifecycle";
import { awaitRuntimeApproval, getApproval, listApprovals, MAX_WAITS_PER_AGENT, pendingApprovalCount } from "./queries";

const DIGEST = "sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f0";

async function setup(tag: string, timeoutMinutes = 15) {
  const org = await makeOrg();
  const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `ap-${tag}-${org.tag}`));
  // Order decides which allow applies: the approval rule comes before the broad one.
  const rule = await addPermissionRule(org.admin, {}, agent.id, {
    effect: "allow",
    action: "tool:call",
    resource: "mcp:github/delete_*",
    requiresApproval: true,
    approvalTimeoutMinutes: timeoutMinutes,
  });
  await addPermissionRule(org.admin, {}, agent.id, { effect: "allow", action: "tool:call", resource: "mcp:*" });
  const ask = (extra: Record<string, unknown> = {}, now?: Date) =>
    authorizeAction(
      agent.id,
      {},
      { action: "tool:call", resource: "mcp:github/delete_repo", argumentsDigest: DIGEST, ...extra },
      now,
    );
  return { org, agent, rule, ask };
}

const auditCount = (targetId: string, action: string) => db().auditEvent.count({ where: { targetId, action } });
const refused = async (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as DomainError,
  );

describe("runtime approvals", () => {
  it("retiring the agent expires what it was waiting for, before the change requests it rejects", async () => {
    const { org, agent, ask } = await setup("retire");
    const waiting = await ask();
    await retireAgent(org.admin, {}, agent.id, { reason: "replaced" });
    expect((await db().approvalRequest.findUniqueOrThrow({ where: { id: waiting.approvalId! } })).status).toBe(
      "expired",
    );
    expect(await db().auditEvent.findFirst({ where: { targetId: agent.id, action: "agent.retired" } })).toMatchObject({
      after: { status: "retired", approvalsClosed: 1 },
    });
    expect((await refused(approveApproval(org.lead, {}, waiting.approvalId!, {})))?.code).toBe("request_closed");
  });

  it("suspending the agent closes what it was waiting for and the grants it had not used: resumed, it asks again", async () => {
    const { org, agent, ask } = await setup("suspend");
    const waiting = await ask({ argumentsDigest: `sha256:${"1".repeat(64)}` });
    const granted = await ask({ argumentsDigest: `sha256:${"2".repeat(64)}` });
    await approveApproval(org.lead, {}, granted.approvalId!, { reason: "ok" });
    await suspendAgent(org.admin, { requestId: "kill-1" }, agent.id, { reason: "leaking data" });
    for (const id of [waiting.approvalId!, granted.approvalId!]) {
      expect((await db().approvalRequest.findUniqueOrThrow({ where: { id } })).status).toBe("expired");
      expect(await db().auditEvent.findFirst({ where: { targetId: id, action: "approval.expired" } })).toMatchObject({
        actorId: org.admin.id,
        requestId: "kill-1",
        reason: "The agent was suspended: leaking data",
      });
    }
    expect(await db().auditEvent.findFirst({ where: { targetId: agent.id, action: "agent.suspended" } })).toMatchObject(
      { after: { status: "suspended", approvalsClosed: 2 } },
    );
    expect((await refused(approveApproval(org.lead, {}, waiting.approvalId!, {})))?.code).toBe("request_closed");
    await resumeAgent(org.admin, {}, agent.id, {});
    expect(await ask({ argumentsDigest: `sha256:${"2".repeat(64)}`, approvalId: granted.approvalId })).toMatchObject({
      decision: "deny",
      code: "approval_expired",
    });
  });

  it("the inbox pages with a cursor, in order, and nothing is skipped or repeated; a forged cursor is a 422", async () => {
    const { org, agent, ask } = await setup("page");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await ask({ argumentsDigest: `sha256:${String(i).repeat(64)}` })).approvalId!);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const page = await listApprovals(org.lead, { agentId: agent.id, limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(ids); // pending: oldest first
    const decided = await listApprovals(org.lead, { agentId: agent.id, status: "approved", limit: 2 });
    expect(decided).toEqual({ items: [], nextCursor: null });
    for (const forged of ["x", Buffer.from('["not a date","x"]').toString("base64url")])
      expect((await refused(listApprovals(org.lead, { cursor: forged })))?.kind).toBe("validation");
    expect((await refused(listApprovals(org.lead, { limit: 0 })))?.name).toBe("ZodError");
  });

  it("an agent has at most 50 calls waiting at once: another is refused (audited) until one is decided; asking again for a waiting call is not a new one", async () => {
    const { org, agent, ask } = await setup("flood");
    const digest = (i: number) => `sha256:${i.toString(16).padStart(64, "0")}`;
    const first: string[] = [];
    for (let i = 0; i < MAX_PENDING_APPROVALS; i++) {
      const r = await ask({ argumentsDigest: digest(i) });
      expect(r).toMatchObject({ decision: "pending" });
      first.push(r.approvalId!);
    }
    const over = await ask({ argumentsDigest: digest(1000) });
    expect(over).toMatchObject({ decision: "deny", code: "approvals_pending_limit" });
    expect(over.approvalId).toBeUndefined();
    expect(await auditCount(over.decisionId, "decision.denied")).toBe(1);
    expect(await db().approvalRequest.count({ where: { agentId: agent.id } })).toBe(MAX_PENDING_APPROVALS);
    // The same call asked again still answers with its approval.
    expect(await ask({ argumentsDigest: digest(7) })).toMatchObject({ decision: "pending", approvalId: first[7] });
    // Once one is decided there is room for another.
    await denyApproval(org.lead, {}, first[0], { reason: "not now" });
    expect(await ask({ argumentsDigest: digest(1000) })).toMatchObject({ decision: "pending" });
    expect(await ask({ argumentsDigest: digest(1001) })).toMatchObject({ code: "approvals_pending_limit" });
  });

  it("an agent holds at most 20 long-polls open at once: the next answers at once, as with wait=0", async () => {
    const { org, agent, ask } = await setup("polls");
    const { approvalId } = await ask();
    const agentId = agent.id;
    let settled = 0;
    const held = Array.from({ length: MAX_WAITS_PER_AGENT }, () =>
      awaitRuntimeApproval(agentId, approvalId!, 30).then((r) => {
        settled++;
        return r;
      }),
    );
    // The one past the limit does not wait for the decision: it answers while the others still hold theirs.
    expect(await awaitRuntimeApproval(agentId, approvalId!, 30)).toMatchObject({ status: "pending" });
    expect(settled).toBe(0);
    await approveApproval(org.lead, {}, approvalId!, { reason: "ok" });
    for (const r of await Promise.all(held)) expect(r).toMatchObject({ status: "approved" });
    // Their places are free again: a poll waits (and is answered by the decision already made).
    expect(await awaitRuntimeApproval(agentId, approvalId!, 30)).toMatchObject({ status: "approved" });
  });

  it("pending → approved by the agent's team lead → redeemed once; every step audited", async () => {
    const { org, agent, rule, ask } = await setup("walk");
    // Deleted before the test ends: no other test's delivery run should try to reach it.
    const webhook = await createWebhookEndpoint(org.admin, {}, { name: "w", url: "https://hooks.example.com/acp" });
    onTestFinished(() => deleteWebhookEndpoint(org.admin, {}, webhook.id).then(() => undefined));
    const first = await ask({ estimatedCostUsd: 0.5, context: { ticket: "T-1" } });
    expect(first).toMatchObject({ decision: "pending", code: "approval_required", ruleId: rule.id });
    const approvalId = first.approvalId!;
    const stored = await db().approvalRequest.findUniqueOrThrow({ where: { id: approvalId } });
    expect(stored).toMatchObject({
      status: "pending",
      agentId: agent.id,
      action: "tool:call",
      resource: "mcp:github/delete_repo",
      argumentsDigest: DIGEST,
      estimatedMicros: 500_000n,
      decisionId: first.decisionId,
    });
    expect((await db().decision.findUniqueOrThrow({ where: { id: first.decisionId } })).decision).toBe("pending");
    expect(await auditCount(approvalId, "approval.requested")).toBe(1);
    expect(
      await db().webhookDelivery.count({ where: { endpointId: webhook.id, eventType: "approval.requested" } }),
    ).toBe(1);

    // It waits for the lead: in their inbox and count, not in another team's lead's.
    expect((await listApprovals(org.lead)).items.map((a) => a.id)).toContain(approvalId);
    expect(await pendingApprovalCount(org.lead)).toBeGreaterThanOrEqual(1);
    const otherLead: UserActor = { ...org.lead, id: org.viewer.id, teamIds: [org.other.id] };
    expect((await listApprovals(otherLead)).items.map((a) => a.id)).not.toContain(approvalId);
    expect((await refused(approveApproval(otherLead, {}, approvalId)))?.kind).toBe("not_found");
    expect((await refused(approveApproval(org.viewer, {}, approvalId)))?.kind).toBe("forbidden");
    expect((await refused(approveApproval(org.auditor, {}, approvalId)))?.kind).toBe("forbidden");
    // The call's context (on whose behalf, who asked) is personal data: a viewer reads the approval without it.
    expect((await getApproval(org.lead, approvalId)).context).toEqual({ ticket: "T-1" });
    expect((await getApproval(org.viewer, approvalId)).context).toBeNull();
    expect((await listApprovals(org.viewer)).items.find((a) => a.id === approvalId)?.context).toBeNull();

    // Asking again, with the id or without, before anyone decides: still pending, the same approval (no flood).
    expect(await ask({ approvalId, estimatedCostUsd: 0.5 })).toMatchObject({ decision: "pending", approvalId });
    expect(await ask({ estimatedCostUsd: 0.5 })).toMatchObject({ decision: "pending", approvalId });
    expect(await db().approvalRequest.count({ where: { agentId: agent.id } })).toBe(1);
    // A pending approval gives no claim to another call.
    expect(await ask({ approvalId, resource: "mcp:github/delete_org" })).toMatchObject({
      decision: "deny",
      code: "approval_invalid",
    });

    // The agent's long-poll is answered when the lead approves.
    const polled = awaitRuntimeApproval(agent.id, approvalId, 20);
    const approved = await approveApproval(org.lead, {}, approvalId, { reason: "ticket T-1 checked" });
    expect(approved).toMatchObject({
      status: "approved",
      decidedBy: { id: org.lead.id },
      decisionNote: "ticket T-1 checked",
    });
    expect(await polled).toMatchObject({ status: "approved", note: "ticket T-1 checked" });
    expect(await auditCount(approvalId, "approval.approved")).toBe(1);
    expect(await db().webhookDelivery.count({ where: { endpointId: webhook.id, eventType: "approval.decided" } })).toBe(
      1,
    );
    expect((await refused(denyApproval(org.admin, {}, approvalId, { reason: "late" })))?.code).toBe("request_closed");

    // Not for another resource, other arguments, a higher estimate or without the estimate the approver saw.
    for (const wrong of [
      { resource: "mcp:github/delete_org", estimatedCostUsd: 0.5 },
      { argumentsDigest: "sha256:ffffffffffffffffffffffffffffffff", estimatedCostUsd: 0.5 },
      { estimatedCostUsd: 5 },
      {},
    ]) {
      expect(await ask({ approvalId, ...wrong })).toMatchObject({ decision: "deny", code: "approval_invalid" });
    }
    expect((await db().approvalRequest.findUniqueOrThrow({ where: { id: approvalId } })).status).toBe("approved");

    // Redeemed once: allowed by the rule with the approver named; a second redemption is refused.
    const redeemed = await ask({ approvalId, estimatedCostUsd: 0.4 });
    expect(redeemed).toMatchObject({ decision: "allow", code: "allowed", ruleId: rule.id });
    expect(redeemed.reason).toContain("approval");
    const row = await db().approvalRequest.findUniqueOrThrow({ where: { id: approvalId } });
    expect(row).toMatchObject({ status: "redeemed", redeemedDecisionId: redeemed.decisionId });
    expect(await auditCount(approvalId, "approval.redeemed")).toBe(1);
    expect(await ask({ approvalId, estimatedCostUsd: 0.4 })).toMatchObject({
      decision: "deny",
      code: "approval_invalid",
    });
    // Another agent cannot use it either.
    const other = await registerAgent(org.admin, {}, agentInput(org.team.id, `ap-thief-${org.tag}`));
    expect(
      await authorizeAction(other.id, {}, { action: "tool:call", resource: "mcp:github/delete_repo", approvalId }),
    ).toMatchObject({ decision: "deny", code: "no_matching_rule" });
  });

  it("who asked comes from the caller, never the body; whoever approved a call cannot redeem it through the decision API", async () => {
    const { org, agent, ask } = await setup("asker");
    // An agent naming a person as the asker: dropped, so it neither shows them as asking nor bars them from approving.
    const spoofed = await ask({ context: { ticket: "T-9", askedBy: org.lead.label, askedById: org.lead.id } });
    const stored = await db().approvalRequest.findUniqueOrThrow({ where: { id: spoofed.approvalId! } });
    expect(stored.context).toEqual({ ticket: "T-9" });
    expect(await approveApproval(org.lead, {}, spoofed.approvalId!, {})).toMatchObject({ status: "approved" });

    // The lead asks for the same call through AuthZEN and gets the agent's open approval back…
    const call = {
      subject: { type: "agent", id: agent.id },
      action: { name: "tool:call" },
      resource: { type: "mcp", id: "github/delete_repo" },
      context: { argumentsDigest: DIGEST },
    };
    const open = await ask({ context: { ticket: "T-10" } });
    const viaApi = await evaluateAccess(org.lead, {}, call);
    expect(viaApi).toMatchObject({
      decision: false,
      context: { code: "approval_required", approvalId: open.approvalId },
    });
    // …approves it, and cannot then redeem it: whoever asks cannot be the approver.
    await approveApproval(org.lead, {}, open.approvalId!, {});
    const redeemed = await evaluateAccess(
      org.lead,
      {},
      {
        ...call,
        context: { ...call.context, approvalId: open.approvalId },
      },
    );
    expect(redeemed).toMatchObject({ decision: false, context: { code: "approval_invalid" } });
    expect((await db().approvalRequest.findUniqueOrThrow({ where: { id: open.approvalId! } })).status).toBe("approved");
    // The agent itself still can.
    expect(await ask({ approvalId: open.approvalId })).toMatchObject({ decision: "allow" });
  });

  it("parallel redemptions of one grant: exactly one is allowed", async () => {
    const { org, ask } = await setup("race");
    const { approvalId } = await ask();
    await approveApproval(org.admin, {}, approvalId!);
    const results = await Promise.all(Array.from({ length: 8 }, () => ask({ approvalId })));
    expect(results.filter((r) => r.decision === "allow")).toHaveLength(1);
    expect(results.filter((r) => r.code === "approval_invalid")).toHaveLength(7);
  });

  it("changing or deleting the rule that asked closes its approvals: a rule switched to deny and back brings no grant back", async () => {
    const { org, agent, rule, ask } = await setup("rule");
    const granted = await ask();
    await approveApproval(org.admin, {}, granted.approvalId!);
    const waiting = await ask({ argumentsDigest: `sha256:${"a".repeat(64)}` });
    const asked = { effect: "allow", action: "tool:call", resource: "mcp:github/delete_*", requiresApproval: true };
    // A description alone decides nothing: the approvals stay.
    await updatePermissionRule(
      org.admin,
      {},
      agent.id,
      rule.id,
      { ...asked, approvalTimeoutMinutes: 15, description: "Deleting needs a person" },
      { impact: false },
    );
    expect(await awaitRuntimeApproval(agent.id, waiting.approvalId!, 0)).toMatchObject({ status: "pending" });
    await updatePermissionRule(org.admin, {}, agent.id, rule.id, { ...asked, effect: "deny" }, { impact: false });
    await updatePermissionRule(org.admin, {}, agent.id, rule.id, asked, { impact: false });
    expect(await ask({ approvalId: granted.approvalId })).toMatchObject({ decision: "deny", code: "approval_expired" });
    expect(await awaitRuntimeApproval(agent.id, waiting.approvalId!, 0)).toMatchObject({ status: "expired" });
    const closed = await db().auditEvent.findFirstOrThrow({
      where: { targetId: granted.approvalId!, action: "approval.expired" },
    });
    expect(closed).toMatchObject({ actorId: org.admin.id, reason: expect.stringContaining("changed") });
    // Deleting it closes what it asked since.
    const again = await ask({ argumentsDigest: `sha256:${"b".repeat(64)}` });
    await deletePermissionRule(org.admin, {}, agent.id, rule.id, { impact: false });
    expect(await awaitRuntimeApproval(agent.id, again.approvalId!, 0)).toMatchObject({ status: "expired" });
  });

  it("a denial carries its reason to the agent; denying needs a reason", async () => {
    const { org, agent, ask } = await setup("deny");
    const { approvalId } = await ask();
    await expect(denyApproval(org.admin, {}, approvalId!, {})).rejects.toBeInstanceOf(ZodError);
    await denyApproval(org.admin, {}, approvalId!, { reason: "not during the freeze" });
    expect(await awaitRuntimeApproval(agent.id, approvalId!, 0)).toMatchObject({
      status: "denied",
      note: "not during the freeze",
    });
    const r = await ask({ approvalId });
    expect(r).toMatchObject({ decision: "deny", code: "approval_denied" });
    expect(r.reason).toContain("not during the freeze");
    expect(await auditCount(approvalId!, "approval.denied")).toBe(1);
  });

  it("an undecided approval expires as denied: lazily, by the sweep, and an approver can no longer decide it", async () => {
    const { org, agent, ask } = await setup("expire", 1);
    const past = new Date(Date.now() - 2 * 60_000);
    const lazy = await ask({}, past);
    expect(lazy.decision).toBe("pending");
    expect(await ask({ approvalId: lazy.approvalId })).toMatchObject({ decision: "deny", code: "approval_expired" });
    expect(await auditCount(lazy.approvalId!, "approval.expired")).toBe(1);

    const swept = await ask({}, past);
    expect(await expireDueApprovals()).toBeGreaterThanOrEqual(1);
    expect(await awaitRuntimeApproval(agent.id, swept.approvalId!, 0)).toMatchObject({ status: "expired" });
    expect(await auditCount(swept.approvalId!, "approval.expired")).toBe(1);

    const late = await ask({}, past);
    expect((await refused(approveApproval(org.admin, {}, late.approvalId!)))?.code).toBe("approval_expired");
    expect((await db().approvalRequest.findUniqueOrThrow({ where: { id: late.approvalId! } })).status).toBe("expired");
    expect(await auditCount(late.approvalId!, "approval.approved")).toBe(0);
  });

  it("a budget that refuses the redeemed call gives the grant back", async () => {
    const { org, agent, ask } = await setup("budget");
    await createBudget(
      org.admin,
      {},
      { name: "tiny", scope: "agent", agentId: agent.id, period: "day", limitUsd: 1, hardAction: "block" },
    );
    const { approvalId } = await ask({ estimatedCostUsd: 2 });
    await approveApproval(org.admin, {}, approvalId!);
    expect(await ask({ approvalId, estimatedCostUsd: 2 })).toMatchObject({
      decision: "deny",
      code: "budget_exhausted",
    });
    expect((await db().approvalRequest.findUniqueOrThrow({ where: { id: approvalId! } })).status).toBe("approved");
    expect(await auditCount(approvalId!, "approval.redeemed")).toBe(0);
  });

  it("the simulator shows the pending path, as the runtime answers it", async () => {
    const { org, agent, rule } = await setup("sim");
    const sim = await simulateDecision(org.admin, agent.id, {
      action: "tool:call",
      resource: "mcp:github/delete_repo",
    });
    expect(sim).toMatchObject({ decision: "pending", code: "approval_required", ruleId: rule.id });
    expect(sim.reason).toContain("expires after 15 minutes");
    expect(sim.rules.find((t) => t.ruleId === rule.id)?.matched).toBe(true);
  });
});
