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
