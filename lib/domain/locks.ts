import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/db/tx";
import { conflict, notFound } from "./errors";

/*
 * Row locks that several areas take on one table. They live here, not in one area's command, so each area's lock
 * order is visible in one place: an agent's row is locked before any row that hangs off it (requests, rules,
 * keys, versions), so two commands on one agent queue instead of deadlocking.
 */

/** Locks an agent's row for update for the rest of the transaction (nothing when the agent does not exist). */
export async function lockAgent(tx: Tx, agentId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM agents WHERE id = ${agentId} FOR UPDATE`;
}

/**
 * For commands that add to an agent (keys, versions, deployments): the agent row locked, so a concurrent
 * retirement waits for them (or they see it), refused once it is retired. Commands that go on to update the
 * agent row take the update lock at once (upgrading a share lock could deadlock two of them).
 */
export async function lockLiveAgent(
  tx: Tx,
  agentId: string,
  mode: "share" | "update" = "share",
): Promise<{ id: string; teamId: string; status: string }> {
  const lock = mode === "update" ? Prisma.sql`FOR UPDATE` : Prisma.sql`FOR SHARE`;
  const [agent] = await tx.$queryRaw<
    { id: string; teamId: string; status: string }[]
  >`SELECT id, "teamId", status::text AS status FROM agents WHERE id = ${agentId} ${lock}`;
  if (!agent) throw notFound("Agent");
  if (agent.status === "retired")
    throw conflict("agent_retired", "This agent is retired: it gets no new keys, versions or deployments");
  return agent;
}

/**
 * Locks the agent's row for the rest of the transaction, so concurrent edits of one agent's rule list
 * (append, move, delete, renumber) queue instead of handing out the same position twice, and authorize (which
 * locks it FOR KEY SHARE) waits for the edit. It also moves the row's `updatedAt` on: authorize from a read taken
 * with the agent's key (lib/domain/decisions/authorize-action.ts, `stillAsRead`) then sees that the rules changed
 * since, and reads them again.
 */
export async function lockAgentRules(tx: Tx, agentId: string): Promise<{ id: string; teamId: string }> {
  // FOR UPDATE first: the UPDATE alone would take FOR NO KEY UPDATE, which authorize's FOR KEY SHARE does not wait for.
  const [agent] = await tx.$queryRaw<
    { id: string; teamId: string }[]
  >`SELECT id, "teamId" FROM agents WHERE id = ${agentId} FOR UPDATE`;
  if (!agent) throw notFound("Agent");
  // Later than the last value (two edits in one millisecond still differ), as Prisma writes it: UTC.
  await tx.$executeRaw`UPDATE agents SET "updatedAt" =
    GREATEST("updatedAt" + interval '1 millisecond', (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')::timestamp(3))
    WHERE id = ${agentId}`;
  return agent;
}

/** The retention pruner's advisory lock: one pruning batch at a time, across instances. */
export const RETENTION_LOCK = 7_340_021;

/**
 * Waits for any pruning batch to finish and keeps the pruner out until the transaction ends: for a command that
 * reads where the audit trail starts and records a position the pruner must respect (a new SIEM sink).
 */
export async function lockRetention(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RETENTION_LOCK}::bigint)`;
}

/**
 * An environment's deployment policy (four-eyes, required suites, cost limit) for the rest of the transaction: a command
 * that reads it to judge a change (stricter or looser) and writes it back queues behind another, so two concurrent
 * changes cannot drop each other's suites without a second admin.
 */
export async function lockEnvironmentPolicy(tx: Tx, environment: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`environment_policy:${environment}`}))`;
}

/** Webhook endpoints are counted before one is added (a cap): two additions at once queue here. */
export async function lockWebhookEndpoints(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('webhook_endpoints'))`;
}

/** A SIEM sink's row for the rest of the transaction: a deletion asked for and one approved queue on it. */
export async function lockAuditSink(tx: Tx, sinkId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM audit_sinks WHERE id = ${sinkId} FOR UPDATE`;
}

/** One agent's waiting approvals are counted before one is opened (a cap): calls of that agent racing past queue here. */
export async function lockPendingApprovals(tx: Tx, agentId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`approvals:${agentId}`}))`;
}
