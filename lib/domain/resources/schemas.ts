import { z } from "zod";
import { checkRange, rangeDate } from "../spend/schemas";

const DAY = 86_400_000;

/** From least to most sensitive: where several catalogue entries match a resource, the most sensitive one counts. */
export const CLASSIFICATIONS = ["public", "internal", "confidential", "personal"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
export const RESOURCE_KINDS = ["dataset", "system", "tool"] as const;

export const CLASSIFICATION_LABELS: Record<Classification, string> = {
  public: "Public",
  internal: "Internal",
  confidential: "Confidential",
  personal: "Personal data",
};

const fields = {
  name: z.string().trim().min(1).max(100).meta({ description: "What people call it, e.g. CRM customers" }),
  pattern: z.string().trim().min(1).max(512).meta({
    description:
      "The resource strings of calls on it, as a glob (`*` any run, `?` one character; case is ignored), e.g. db:crm/customers*",
  }),
  kind: z.enum(RESOURCE_KINDS),
  classification: z.enum(CLASSIFICATIONS),
  description: z.string().trim().max(1000).default(""),
  ownerTeamId: z.string().min(1).max(100).nullable().default(null).meta({ description: "The team that owns it" }),
};

export const ResourceInputSchema = z.object(fields).strict();

/** Fields left out keep their value; `archived: true` takes it out of the catalogue (its lineage stays readable). */
export const ResourceUpdateSchema = z
  .object({
    name: fields.name.optional(),
    pattern: fields.pattern.optional(),
    kind: fields.kind.optional(),
    classification: fields.classification.optional(),
    description: z.string().trim().max(1000).optional(),
    ownerTeamId: z.string().min(1).max(100).nullable().optional(),
    archived: z.boolean().optional(),
  })
  .strict();

export const ResourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    pattern: z.string(),
    kind: z.enum(RESOURCE_KINDS),
    classification: z.enum(CLASSIFICATIONS),
    description: z.string(),
    ownerTeamId: z.string().nullable(),
    archivedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Resource" });

const period = {
  from: rangeDate.optional().meta({ description: "Start (default: 30 days before `to`)" }),
  to: rangeDate.optional().meta({ description: "End (default: now)" }),
};
function withDefaults<T extends { from?: Date; to?: Date }>(q: T) {
  const to = q.to ?? new Date();
  return { ...q, to, from: q.from ?? new Date(to.getTime() - 30 * DAY) };
}

/** A period of lineage (default the last 30 days, at most 400). */
export const LineageQuerySchema = z
  .object(period)
  .transform(withDefaults)
  .superRefine((q, ctx) => checkRange(q, ctx, 400 * DAY));

export const SubjectLineageQuerySchema = z
  .object({
    onBehalfOf: z
      .string()
      .trim()
      .min(1)
      .max(256)
      .refine((s) => !s.includes("\u0000"), "must not contain a NUL character")
      .meta({ description: "The person or end user, exactly as agents name them in authorize's onBehalfOf" }),
    ...period,
  })
  .transform(withDefaults)
  .superRefine((q, ctx) => checkRange(q, ctx, 400 * DAY));

/** One (agent, version, rule, resource, on behalf of, decision) combination and how often it happened. */
const LineageGroupSchema = z.object({
  agentId: z.string(),
  agentSlug: z.string(),
  versionNumber: z.number().int().nullable(),
  ruleId: z.string().nullable(),
  rule: z
    .string()
    .nullable()
    .meta({ description: "The rule as it reads now, e.g. #2 allow data:read on db:* (null: none, or since deleted)" }),
  resource: z.string(),
  onBehalfOf: z.string().nullable(),
  decision: z.enum(["allow", "deny", "degrade", "pending"]),
  calls: z.number().int(),
  firstAt: z.iso.datetime(),
  lastAt: z.iso.datetime(),
});

export const LineageSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    calls: z.number().int().meta({ description: "Decisions in the period" }),
    agents: z.number().int(),
    people: z.number().int().meta({ description: "Distinct onBehalfOf values" }),
    groupCount: z.number().int().meta({ description: "All combinations; `groups` holds the most frequent 500" }),
    groups: z.array(LineageGroupSchema),
  })
  .meta({ id: "Lineage" });
export type Lineage = z.infer<typeof LineageSchema>;

export const ResourceLineageSchema = z
  .object({ resource: ResourceSchema, lineage: LineageSchema })
  .meta({ id: "ResourceLineage" });

export const TouchedResourcesSchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    items: z.array(
      z.object({
        resource: z.string(),
        catalogued: z
          .object({ id: z.string(), name: z.string(), classification: z.enum(CLASSIFICATIONS) })
          .nullable()
          .meta({ description: "The catalogue entry it falls under (the most sensitive, if several)" }),
        calls: z.number().int(),
        allowed: z.number().int().meta({ description: "Allowed or degraded" }),
        people: z.number().int(),
        lastAt: z.iso.datetime(),
      }),
    ),
    more: z.boolean().meta({ description: "More resources than listed (the most called 200 are)" }),
  })
  .meta({ id: "TouchedResources" });
