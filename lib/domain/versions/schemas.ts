import { z } from "zod";

const jsonObject = z.record(z.string(), z.unknown());

export const AgentConfigSchema = z.object({
  model: z.string().trim().min(1, "choose a model").max(128),
  fallbackModel: z
    .string()
    .trim()
    .max(128)
    .optional()
    .nullable()
    .transform((v) => v || null),
  systemPrompt: z.string().max(50_000).default(""),
  tools: z.array(z.string().trim().min(1).max(128)).max(200).default([]),
  parameters: jsonObject.default({}),
  extra: jsonObject.default({}),
});
export type AgentConfigInput = z.input<typeof AgentConfigSchema>;
export type AgentConfig = z.infer<typeof AgentConfigSchema>;

export const VersionInputSchema = AgentConfigSchema.extend({ note: z.string().trim().max(500).default("") });
export type VersionInput = z.input<typeof VersionInputSchema>;

/** The config object served to runtimes and shown in the console. */
export function versionConfig(v: {
  model: string;
  fallbackModel: string | null;
  systemPrompt: string;
  tools: unknown;
  parameters: unknown;
  extra: unknown;
}) {
  return {
    model: v.model,
    fallbackModel: v.fallbackModel,
    systemPrompt: v.systemPrompt,
    tools: v.tools,
    parameters: v.parameters,
    extra: v.extra,
  };
}

const configFields = {
  model: z.string(),
  fallbackModel: z.string().nullable(),
  systemPrompt: z.string(),
  tools: z.array(z.string()),
  parameters: z.record(z.string(), z.unknown()),
  extra: z.record(z.string(), z.unknown()),
};

/** An immutable version as stored (`deployed` on lists: whether it is the live one). */
export const VersionSchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    number: z.number().int(),
    ...configFields,
    note: z.string(),
    createdById: z.string().nullable(),
    createdAt: z.iso.datetime(),
    deployed: z.boolean().optional(),
  })
  .meta({ id: "AgentVersion" });

export const DeploymentSchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    versionId: z.string(),
    versionNumber: z.number().int(),
    kind: z.enum(["deploy", "rollback"]),
    reason: z.string(),
    deployedById: z.string().nullable(),
    approvedById: z.string().nullable(),
    gateOverride: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Deployment" });

/** What `GET /runtime/config` serves: the deployed version's config. */
export const RuntimeConfigSchema = z
  .object({
    agent: z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      status: z.string(),
      environment: z.string(),
    }),
    version: z.object({ number: z.number().int(), createdAt: z.iso.datetime() }),
    config: z.object(configFields),
    canary: z.object({ version: z.number().int(), percent: z.number().int(), serving: z.boolean() }).optional().meta({
      description:
        "While a canary runs: its version and share, and whether this routing key is served it (report usage with the version you ran on)",
    }),
  })
  .meta({ id: "RuntimeConfig" });

export const RuntimeConfigQuerySchema = z.object({
  routingKey: z.string().min(1).max(200).optional().meta({
    description:
      "A session, end-user or task id: while a canary runs, the same key always gets the same version (also the X-ACP-Routing-Key header). Without one, the stable version",
  }),
});
