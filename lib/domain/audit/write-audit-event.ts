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
  const [written] = await writeAuditEvents(tx, [{ actor, meta, input, occurredAt }]);
  return written;
}

/**
 * Appends events to the hash chain in order, in two statements however many: the first takes the chain head (made on
 * a fresh database) and moves it past them, the second inserts them and records the last one's hash. The head is
 * held from the first until the transaction ends, so a batch holds up other writers no longer than one event does.
 */
export async function writeAuditEvents(
  tx: SqlTx,
  items: { actor: Actor; meta: RequestMeta; input: AuditEventInput; occurredAt?: Date }[],
): Promise<{ position: bigint; hash: string }[]> {
  return (await appendEvents(tx, items, false)) ?? [];
}

/**
 * writeAuditEvent, only if no other transaction holds the chain head (and it exists): null, writing nothing, if one
 * does. The head is taken without waiting, in the statement that moves it.
 */
export async function writeAuditEventIfFree(
  tx: SqlTx,
  actor: Actor,
  meta: RequestMeta,
  input: AuditEventInput,
  occurredAt = new Date(),
): Promise<{ position: bigint; hash: string } | null> {
  return (await appendEvents(tx, [{ actor, meta, input, occurredAt }], true))?.[0] ?? null;
}

async function appendEvents(
  tx: SqlTx,
  items: { actor: Actor; meta: RequestMeta; input: AuditEventInput; occurredAt?: Date }[],
  ifFree: boolean,
): Promise<{ position: bigint; hash: string }[] | null> {
  if (items.length === 0) return [];
  const [head] = ifFree
    ? await tx.$queryRaw<{ position: bigint; hash: string }[]>`
        UPDATE audit_chain_head h SET position = h.position + ${items.length}::bigint
        WHERE h.id = (SELECT id FROM audit_chain_head WHERE id = 1 FOR UPDATE SKIP LOCKED)
        RETURNING position, hash`
    : await tx.$queryRaw<{ position: bigint; hash: string }[]>`
        INSERT INTO audit_chain_head AS h (id, position, hash) VALUES (1, ${items.length}::bigint, ${GENESIS_HASH})
        ON CONFLICT (id) DO UPDATE SET position = h.position + EXCLUDED.position
        RETURNING position, hash`;
  if (!head) return null;
  let position = BigInt(head.position) - BigInt(items.length);
  let prevHash = head.hash;
  const rows = items.map(({ actor, meta, input, occurredAt = new Date() }) => {
    position += 1n;
    const event = {
      position,
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
    prevHash = hash;
    return { ...event, hash };
  });
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  // The events travel as one array per column, so the statement's text is the same whatever their number.
  await tx.$executeRaw`
    WITH appended AS (
      INSERT INTO audit_events (position, "occurredAt", "actorType", "actorId", "actorLabel", action, "targetType",
        "targetId", "teamId", "agentId", outcome, before, after, reason, "requestId", ip, "prevHash", hash)
      SELECT * FROM unnest(${col((r) => r.position.toString())}::bigint[],
        ${col((r) => r.occurredAt.toISOString())}::timestamp(3)[], ${col((r) => r.actorType)}::text[],
        ${col((r) => r.actorId)}::text[], ${col((r) => r.actorLabel)}::text[], ${col((r) => r.action)}::text[],
        ${col((r) => r.targetType)}::text[], ${col((r) => r.targetId)}::text[], ${col((r) => r.teamId)}::text[],
        ${col((r) => r.agentId)}::text[], ${col((r) => r.outcome)}::text[], ${col((r) => json(r.before))}::jsonb[],
        ${col((r) => json(r.after))}::jsonb[], ${col((r) => r.reason)}::text[], ${col((r) => r.requestId)}::text[],
        ${col((r) => r.ip)}::text[], ${col((r) => r.prevHash)}::text[], ${col((r) => r.hash)}::text[]))
    UPDATE audit_chain_head SET hash = ${prevHash} WHERE id = 1`;
  return rows.map((r) => ({ position: r.position, hash: r.hash }));
}
