import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { deployVersion } from "../deployments/deploy-version";
import { conflict } from "../errors";
import { lockLiveAgent } from "../locks";
import { EndCanarySchema } from "./schemas";

/**
 * Promotes the running canary: a deployment of its version to everyone, through deployVersion, so the eval gates and
 * four-eyes apply (in a four-eyes environment it becomes a pending request and the canary runs until it is decided).
 * The deployment ends the canary as promoted (performDeployment).
 */
export async function promoteCanary(actor: Actor, meta: RequestMeta, agentId: string, raw: unknown = {}) {
  requireAdmin(actor);
  const input = EndCanarySchema.parse(raw);
  // One transaction, the agent locked: a canary its guard rolls back meanwhile is not deployed (deployVersion joins it).
  return inTransaction(async (tx) => {
    await lockLiveAgent(tx, agentId, "update");
    const canary = await tx.canary.findFirst({ where: { agentId, status: "running" } });
    if (!canary) throw conflict("canary_conflict", "No canary is running for this agent");
    return deployVersion(actor, meta, agentId, {
      versionNumber: canary.versionNumber,
      reason: input.reason || `Canary at ${canary.percent} % promoted`,
    });
  });
}
