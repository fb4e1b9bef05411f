import "server-only";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin, systemActor } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { rejectWaiting } from "../changes/reject";
import { conflict } from "../errors";
import { lockLiveAgent } from "../locks";
import { kickWebhookDispatch } from "../webhooks/deliver-webhooks";
import { enqueueWebhookEvent } from "../webhooks/enqueue-webhook-event";
import { compareCanary } from "./compare";
import { EndCanarySchema } from "./schemas";

type Ending = "rolled_back" | "promoted" | "aborted";
const ACTION = {
  rolled_back: "deployment.canary_rolled_back",
  promoted: "deployment.canary_promoted",
  aborted: "deployment.canary_aborted",
} as const;

/**
 * Ends the agent's running canary (if any) inside the caller's transaction, with the comparison it ended on, its audit
 * event and, for a rollback, the `canary.rolled_back` webhook. The agent row must be locked by the caller.
 */
export async function endRunningCanary(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  agent: { id: string; teamId: string },
  status: Ending | ((canary: { versionNumber: number }) => Ending),
  reason: string,
) {
  const canary = await tx.canary.findFirst({ where: { agentId: agent.id, status: "running" } });
  if (!canary) return null;
  const ending = typeof status === "function" ? status(canary) : status;
  const endedAt = new Date();
  const result = await compareCanary(tx, { ...canary, endedAt });
  const ended = await tx.canary.update({
    where: { id: canary.id },
    data: { status: ending, endedAt, endedReason: reason, result },
  });
  // A rolled back version is not put live by a request made while it was promising (a promotion waiting for four-eyes),
  // nor tried again by a canary request made before the rollback.
  const requestsRejected =
    ending === "rolled_back"
      ? await rejectWaiting(
          tx,
          actor,
          meta,
          { agentId: agent.id, change: { in: ["deployment", "canary"] }, versionId: canary.versionId },
          `canary rolled back: ${reason}`,
        )
      : 0;
  const after = {
    canaryId: canary.id,
    version: canary.versionNumber,
    stableVersion: canary.stableVersionNumber,
    percent: canary.percent,
    result,
    ...(requestsRejected ? { requestsRejected } : {}),
  };
  await writeAuditEvent(tx, actor, meta, {
    action: ACTION[ending],
    targetType: "agent",
    targetId: agent.id,
    agentId: agent.id,
    teamId: agent.teamId,
    before: { canary: { version: canary.versionNumber, status: "running" } },
    after,
    reason,
  });
  if (ending === "rolled_back")
    await enqueueWebhookEvent(tx, "canary.rolled_back", {
      agentId: agent.id,
      ...after,
      reason,
      automatic: actor.type === "system",
    });
  return ended;
}

/** An admin rolls the running canary back by hand: every routing key gets the stable version again. */
export async function rollBackCanary(actor: Actor, meta: RequestMeta, agentId: string, raw: unknown) {
  requireAdmin(actor);
  const input = EndCanarySchema.parse(raw);
  return inTransaction(async (tx) => {
    const agent = await lockLiveAgent(tx, agentId, "update");
    const ended = await endRunningCanary(tx, actor, meta, agent, "rolled_back", input.reason || "Rolled back by hand");
    if (!ended) throw conflict("canary_conflict", "No canary is running for this agent");
    return ended;
  }).then((ended) => {
    kickWebhookDispatch();
    return ended;
  });
}

/**
 * The guard's own rollback: inside one transaction, the canary still running and its comparison still breaching.
 * Audited as the system, with the comparison.
 */
export async function autoRollBack(agentId: string, canaryId: string): Promise<boolean> {
  const done = await inTransaction(async (tx) => {
    const agent = await lockLiveAgent(tx, agentId, "update");
    const canary = await tx.canary.findFirst({ where: { id: canaryId, status: "running" } });
    if (!canary) return false;
    const { breach } = await compareCanary(tx, canary);
    if (!breach) return false;
    await endRunningCanary(tx, systemActor("canary guard"), {}, agent, "rolled_back", `Guard breached: ${breach}`);
    return true;
  });
  if (done) kickWebhookDispatch();
  return done;
}

/**
 * Ends the running canaries of an environment's agents, as aborted, when its policy gets stricter (four-eyes turned
 * on, required eval suites changed): a version tried under the old rules does not keep serving under the new ones.
 */
export async function abortCanariesIn(tx: Tx, actor: Actor, meta: RequestMeta, environment: string, why: string) {
  const running = await tx.canary.findMany({
    where: { status: "running", agent: { environment: environment as never } },
    select: { agentId: true },
    orderBy: { agentId: "asc" },
  });
  for (const { agentId } of running) {
    const agent = await lockLiveAgent(tx, agentId, "update");
    await endRunningCanary(tx, actor, meta, agent, "aborted", why);
  }
}
