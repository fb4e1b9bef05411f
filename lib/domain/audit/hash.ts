import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

export const GENESIS_HASH = "0".repeat(64);

/** The fields an audit hash covers. Stored JSON (before/after) goes through the same canonical form. */
export type AuditHashInput = {
  position: bigint | number | string;
  occurredAt: Date | string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  teamId: string | null;
  agentId: string | null;
  outcome: string;
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  prevHash: string;
};

/** The members the hash covers, in the README's order (README, "The audit hash, exactly"). */
export const HASHED_MEMBERS = [
  "position",
  "occurredAt",
  "actorType",
  "actorId",
  "actorLabel",
  "action",
  "targetType",
  "targetId",
  "teamId",
  "agentId",
  "outcome",
  "before",
  "after",
  "reason",
  "requestId",
  "ip",
  "prevHash",
] as const satisfies readonly (keyof AuditHashInput)[];

/** The hashed object: position as a decimal string, occurredAt as ISO 8601, absent values as null. */
export type HashedAuditEvent = Omit<AuditHashInput, "position" | "occurredAt"> & {
  position: string;
  occurredAt: string;
};

export function hashedAuditObject(e: AuditHashInput): HashedAuditEvent {
  return {
    position: String(e.position),
    occurredAt: new Date(e.occurredAt).toISOString(),
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
  };
}

/** Canonical serialisation (RFC 8785 JSON) of an event, so the same event always hashes the same. */
export function canonicalAuditPayload(e: AuditHashInput): string {
  return canonicalize(hashedAuditObject(e))!;
}

export function auditHash(e: AuditHashInput): string {
  return createHash("sha256").update(canonicalAuditPayload(e)).digest("hex");
}

/** Why a chain check stopped (ChainReportSchema's enum, the verifier's reasons). */
export const CHAIN_BREAK_REASONS = ["hash_mismatch", "broken_link", "missing_position", "checkpoint_mismatch"] as const;

export type ChainBreak = { position: string; reason: (typeof CHAIN_BREAK_REASONS)[number] };

/**
 * Walks events in position order and returns the first break: an event whose stored hash is not the
 * hash of its content, whose prevHash is not its predecessor's hash, or a gap (a deleted row).
 */
export function findChainBreak(
  events: Iterable<AuditHashInput & { hash: string }>,
  start: { position: bigint; hash: string } = { position: 0n, hash: GENESIS_HASH },
): { checked: number; lastPosition: bigint; lastHash: string; break: ChainBreak | null } {
  let expectedPosition = start.position + 1n;
  let prevHash = start.hash;
  let checked = 0;
  for (const e of events) {
    const position = BigInt(e.position);
    if (position !== expectedPosition) {
      return {
        checked,
        lastPosition: expectedPosition - 1n,
        lastHash: prevHash,
        break: { position: String(expectedPosition), reason: "missing_position" },
      };
    }
    if (e.prevHash !== prevHash) {
      return {
        checked,
        lastPosition: position - 1n,
        lastHash: prevHash,
        break: { position: String(position), reason: "broken_link" },
      };
    }
    if (auditHash(e) !== e.hash) {
      return {
        checked,
        lastPosition: position - 1n,
        lastHash: prevHash,
        break: { position: String(position), reason: "hash_mismatch" },
      };
    }
    prevHash = e.hash;
    expectedPosition = position + 1n;
    checked++;
  }
  return { checked, lastPosition: expectedPosition - 1n, lastHash: prevHash, break: null };
}
