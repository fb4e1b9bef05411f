import type { AuditHashInput } from "./hash";

/**
 * An audit event as the API and exports return it: exactly the object the hash covers (position as a decimal
 * string, occurredAt as the ISO 8601 string that was hashed, before/after as stored JSON, prevHash), plus `hash`.
 * So a client recomputes `hash` from an item as it is: SHA-256 over RFC 8785 JSON of the item without `hash`.
 */
export type AuditEventView = Omit<AuditHashInput, "position" | "occurredAt"> & {
  position: string;
  occurredAt: string;
  hash: string;
};

type StoredEvent = Omit<AuditHashInput, "position" | "occurredAt"> & {
  position: bigint;
  occurredAt: Date;
  hash: string;
};

export function auditEventView(e: StoredEvent): AuditEventView {
  return {
    position: String(e.position),
    occurredAt: e.occurredAt.toISOString(),
    actorType: e.actorType,
    actorId: e.actorId ?? null,
    actorLabel: e.actorLabel,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId ?? null,
    teamId: e.teamId ?? null,
    agentId: e.agentId ?? null,
    outcome: e.outcome,
    before: e.before ?? null,
    after: e.after ?? null,
    reason: e.reason ?? null,
    requestId: e.requestId ?? null,
    ip: e.ip ?? null,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
