import "server-only";
import type { SqlTx } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import type { AuditActionTarget } from "./actions";
import { auditHash, GENESIS_HASH } from "./hash";

/** The action comes from the catalogue (./actions.ts) with the target type it names. */
export type AuditEventInput = AuditActionTarget & {
  targetId?: string | null;
  teamId?: string | null;
  agentId?: string | null;
  outcome?: "success" | "denied" | "degraded" | "failure";
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

/** Makes values JSON-safe and stable (bigint → string, Date → ISO) so what is hashed is what is stored. */
export function toAuditJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}

/**
 * Appends one event to the hash chain. Takes only a transaction client: the event commits or rolls back
 * with the change it records. Updating the single chain-head row serialises concurrent writers, so
 * positions are gapless and every event links to the one before it.
 */
export async function writeAuditEvent(
  tx: SqlTx,
  actor: Actor,
  meta: RequestMeta,
  input: AuditEventInput,
  occurredAt = new Date(),
) {
  await tx.$executeRaw`INSERT INTO audit_chain_head (id, position, hash) VALUES (1, 0, ${GENESIS_HASH}) ON CONFLICT (id) DO NOTHING`;
  const [head] = await tx.$queryRaw<{ position: bigint; hash: string }[]>`
    UPDATE audit_chain_head SET position = position + 1 WHERE id = 1 RETURNING position, hash`;
  const prevHash = head.hash;
  const event = {
    position: head.position,
    occurredAt,
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    teamId: input.teamId ?? null,
    agentId: input.agentId ?? null,
    outcome: input.outcome ?? "success",
    before: toAuditJson(input.before),
    after: toAuditJson(input.after),
    reason: input.reason ?? null,
    requestId: meta.requestId ?? null,
    ip: meta.ip ?? null,
    prevHash,
  };
  const hash = auditHash(event);
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  await tx.$executeRaw`
    INSERT INTO audit_events (position, "occurredAt", "actorType", "actorId", "actorLabel", action, "targetType",
      "targetId", "teamId", "agentId", outcome, before, after, reason, "requestId", ip, "prevHash", hash)
    VALUES (${event.position}::bigint, ${occurredAt}::timestamp(3), ${event.actorType}, ${event.actorId},
      ${event.actorLabel}, ${event.action}, ${event.targetType}, ${event.targetId}, ${event.teamId}, ${event.agentId},
      ${event.outcome}, ${json(event.before)}::jsonb, ${json(event.after)}::jsonb, ${event.reason}, ${event.requestId},
      ${event.ip}, ${prevHash}, ${hash})`;
  await tx.$executeRaw`UPDATE audit_chain_head SET hash = ${hash} WHERE id = 1`;
  return { position: head.position, hash };
}
