import { z } from "zod";
import { CLASSIFICATIONS } from "../resources/schemas";

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** MCP tool annotations a rule can require (the spec's readOnlyHint, destructiveHint, idempotentHint, openWorldHint). */
export const TOOL_ANNOTATIONS = ["read_only", "destructive", "idempotent", "open_world"] as const;

/** `shadow`: evaluated on every decision and recorded as what it would have decided, never enforced. */
export const RULE_MODES = ["enforce", "shadow"] as const;

export const PermissionRuleInputSchema = z.object({
  effect: z.enum(["allow", "deny"]),
  mode: z.enum(RULE_MODES).optional().meta({
    description:
      "shadow: recorded as what it would have decided, never enforced (promote it to enforce). Default enforce when adding; an edit that leaves it out keeps the rule's mode",
  }),
  action: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z*][a-z0-9_:*.-]*$/, "e.g. tool:invoke, data:read, model:use"),
  resource: z.string().trim().min(1).max(256),
  maxCostPerCallUsd: z.number().min(0).max(1_000_000).optional().nullable(),
  allowedHours: z
    .object({
      from: z.string().regex(HHMM, "a time such as 08:00"),
      to: z.string().regex(HHMM, "a time such as 18:00"),
      timeZone: z.string().default("UTC").refine(isTimeZone, "an IANA time zone such as Europe/Paris or UTC"),
      days: z.array(z.number().int().min(0).max(6)).optional(),
    })
    .optional()
    .nullable(),
  requiresApproval: z.boolean().default(false),
  approvalTimeoutMinutes: z
    .number()
    .int("whole minutes")
    .min(1, "at least 1 minute")
    .max(1440, "at most 1440 minutes (a day)")
    .default(15)
    .meta({ description: "With requiresApproval: how long an approver has to decide (default 15 minutes)" }),
  toolAnnotation: z
    .enum(TOOL_ANNOTATIONS)
    .nullable()
    .optional()
    .meta({ description: "Match only catalogued MCP tools carrying this annotation (e.g. destructive)" }),
  classification: z
    .enum(CLASSIFICATIONS)
    .nullable()
    .optional()
    .meta({ description: "Match only resources the catalogue classifies so (e.g. personal)" }),
  description: z.string().trim().max(500).default(""),
});
export type PermissionRuleInput = z.input<typeof PermissionRuleInputSchema>;

export const MoveRuleSchema = z.object({ direction: z.enum(["up", "down"]) });

/** An unknown template id is refused by applyRuleTemplate with the list of known ones. */
export const ApplyTemplateSchema = z.object({
  template: z.string().meta({ description: "A template id from GET …/permissions/templates" }),
});

/** A rule as stored (money in micro-dollars). */
export const PermissionRuleSchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    position: z.number().int(),
    effect: z.enum(["allow", "deny"]),
    mode: z.enum(RULE_MODES),
    action: z.string(),
    resource: z.string(),
    maxCostMicros: z.number().nullable(),
    allowedHours: z
      .object({ from: z.string(), to: z.string(), timeZone: z.string(), days: z.array(z.number().int()).optional() })
      .nullable(),
    requiresApproval: z.boolean(),
    approvalTimeoutMinutes: z.number().int(),
    toolAnnotation: z.enum(TOOL_ANNOTATIONS).nullable(),
    classification: z.enum(CLASSIFICATIONS).nullable(),
    description: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "PermissionRule" });

export const RuleTemplateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    rules: z.array(PermissionRuleInputSchema.partial()),
  })
  .meta({ id: "RuleTemplate" });
