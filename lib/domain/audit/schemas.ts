import { z } from "zod";
import { AUDIT_ACTION_NAMES, AUDIT_AREA_FILTERS } from "./actions";
import { CHAIN_BREAK_REASONS } from "./hash";

/**
 * A free-text filter. Control and bidirectional-formatting characters are refused: a filter is printed in an export's
 * header and by its verifier, where `\r` or an escape sequence could paint a verdict the file does not earn.
 */
const optional = z
  .string()
  .trim()
  .max(200)
  .refine((v) => !/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(v), {
    error: "control and text-direction characters are not allowed",
  })
  .optional()
  .transform((v) => v || undefined);

/** One action from the catalogue, or a whole area ("deployment."); an unknown action is a field error, not no rows. */
const actionFilter = z
  .enum([...AUDIT_ACTION_NAMES, ...AUDIT_AREA_FILTERS, ""], {
    error:
      'unknown action: use one of the catalogue\'s actions (e.g. "deployment.rolled_back") or an area ("deployment.")',
  })
  .optional()
  .transform((v) => v || undefined)
  .describe("an action (e.g. deployment.rolled_back), or an area ending in a dot for all its actions (deployment.)");

/** A date filter: a time PostgreSQL and the export can both write (years 1970–9999). */
const dateFilter = z.coerce
  .date()
  .min(new Date("1970-01-01T00:00:00Z"), { error: "use a date from 1970 on" })
  .max(new Date("9999-12-31T23:59:59.999Z"), { error: "use a date before the year 10000" })
  .optional();

/** Audit filters: the same for the console (URL), the list API and exports. */
export const AuditFilterSchema = z.object({
  from: dateFilter,
  to: dateFilter,
  actor: optional.describe("actor id, or part of the actor's label (e-mail, agent slug)"),
  action: actionFilter,
  targetType: optional,
  targetId: optional,
  teamId: optional,
  agentId: optional,
  outcome: z.enum(["success", "failure", "denied", "degraded"]).optional(),
  q: optional.describe("free text searched in the reason"),
  excludeSignIns: z
    .enum(["true", "false"], { error: 'use "true" or "false"' })
    .optional()
    // false filters nothing: left out, so an export asked with it is still unfiltered (and verifies as complete).
    .transform((v) => (v === "true" ? true : undefined))
    .describe("true leaves out successful sign-ins (user.signed_in); failed sign-ins are always included"),
});
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

export const AuditListQuerySchema = AuditFilterSchema.extend({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const AuditExportQuerySchema = AuditFilterSchema.extend({ format: z.enum(["csv", "ndjson"]).default("csv") });

/** Turns URL search params into filter input, dropping empty values. */
export function filterInput(sp: Record<string, string | string[] | undefined>) {
  return Object.fromEntries(Object.entries(sp).filter(([, v]) => typeof v === "string" && v !== "")) as Record<
    string,
    string
  >;
}

/** The response shape of `auditEventView`: the hashed object as it was hashed, plus its hash. */
export const AuditEventSchema = z
  .object({
    position: z.string().meta({ description: "Decimal string (64-bit)" }),
    occurredAt: z.iso.datetime(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    actorLabel: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    teamId: z.string().nullable(),
    agentId: z.string().nullable(),
    outcome: z.string(),
    before: z.unknown().meta({ description: "The target before the change (JSON), or null" }),
    after: z.unknown().meta({ description: "The target after the change (JSON), or null" }),
    reason: z.string().nullable(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string().meta({ description: "SHA-256 over RFC 8785 JSON of the item without `hash`" }),
  })
  .meta({ id: "AuditEvent" });

export const ChainReportSchema = z
  .object({
    intact: z.boolean(),
    checked: z.number().int(),
    headPosition: z.string(),
    break: z
      .object({
        position: z.string(),
        reason: z.enum(CHAIN_BREAK_REASONS).meta({
          description:
            "checkpoint_mismatch: a signed checkpoint names another hash for the event at its position, or its signature does not verify with the published keys (the chain was rewritten from there)",
        }),
      })
      .nullable(),
    prunedThrough: z
      .string()
      .meta({ description: 'Positions 1 to this were pruned under retention, up to a signed checkpoint ("0": none)' }),
  })
  .meta({ id: "ChainReport" });

const PersonRefSchema = z.object({ id: z.string(), label: z.string() });
/** Readable names for one event, resolved when read: the stored (hashed) event never changes. */
export const AuditEventLabelsSchema = z
  .object({
    actor: z.string().meta({ description: "A person actor's current name and e-mail; otherwise the label recorded" }),
    target: z.string().nullable().meta({ description: "The target's name; `…` and the id's end if it is gone" }),
    requestedBy: PersonRefSchema.nullable().meta({ description: "Four-eyes: who asked for the change" }),
    approvedBy: PersonRefSchema.nullable().meta({ description: "Four-eyes: the second admin who approved it" }),
  })
  .meta({ id: "AuditEventLabels" });
export type AuditEventLabels = z.infer<typeof AuditEventLabelsSchema>;
