import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { isPerson, openChangeRequest } from "../changes/open-change-request";
import { requiresApproval } from "../deployments/policies";
import { conflict, invalid } from "../errors";
import { gateFailures } from "../evals/gates";
import { insertVersion } from "../versions/create-agent-version";
import { RegisterAgentSchema } from "./schemas";

/**
 * Registers an agent with its config as version 1, deployed: agent, version, deployment and audit event in one
 * transaction. In an environment that requires eval suites version 1 is not deployed (`gateFailures` in the result:
 * it has no runs yet); in a four-eyes environment a person's registration deploys nothing: version 1 waits for a
 * second admin as a deployment request (`pendingChange` in the result).
 */
export async function registerAgent(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = RegisterAgentSchema.parse(raw);
  const ownerId = input.ownerId ?? (actor.type === "user" ? actor.id : null);
  return inTransaction(async (tx) => {
    if (!(await tx.team.findUnique({ where: { id: input.teamId }, select: { id: true } }))) {
      throw invalid("Unknown team", { teamId: ["this team does not exist"] });
    }
    if (ownerId && !(await tx.user.findUnique({ where: { id: ownerId }, select: { id: true } }))) {
      throw invalid("Unknown owner", { ownerId: ["this user does not exist"] });
    }
    if (await tx.agent.findUnique({ where: { slug: input.slug }, select: { id: true } })) {
      throw conflict("slug_taken", `An agent with slug "${input.slug}" already exists`, { slug: ["already taken"] });
    }
    const agent = await tx.agent.create({
      data: {
        slug: input.slug,
        name: input.name,
        description: input.description,
        teamId: input.teamId,
        environment: input.environment,
        ownerId,
        ...(input.agentCard ? { agentCard: input.agentCard as object } : {}),
      },
    });
    const version = await insertVersion(tx, agent.id, actor.type === "user" ? actor.id : null, {
      ...input.config,
      note: "Initial version",
    });
    // A version that does not exist yet has passed no eval: where the environment requires suites, version 1 waits
    // for its runs and is then deployed as any version is (gates, four-eyes, an override with a reason).
    const failures = await gateFailures(tx, agent.environment, version.id);
    const fourEyes = isPerson(actor) && (await requiresApproval(tx, agent.environment));
    const deploys = !fourEyes && failures.length === 0;
    if (deploys) {
      await tx.deployment.create({
        data: {
          agentId: agent.id,
          versionId: version.id,
          kind: "deploy",
          reason: "Initial registration",
          deployedById: actor.type === "user" ? actor.id : null,
        },
      });
    }
    const registered = deploys
      ? await tx.agent.update({ where: { id: agent.id }, data: { deployedVersionId: version.id } })
      : agent;
    await writeAuditEvent(tx, actor, meta, {
      action: "agent.registered",
      targetType: "agent",
      targetId: agent.id,
      agentId: agent.id,
      teamId: agent.teamId,
      after: { agent: registered, version },
    });
    if (failures.length) return { ...registered, deployedVersion: null, gateFailures: failures };
    if (fourEyes && isPerson(actor)) {
      const pendingChange = await openChangeRequest(tx, actor, meta, {
        change: "deployment",
        agent,
        version,
        kind: "deploy",
        liveVersion: null,
        gateFailures: [],
        reason: "Initial registration",
      });
      return { ...registered, deployedVersion: null, pendingChange };
    }
    return { ...registered, deployedVersion: version };
  });
}
