import { z } from "zod";
import { AgentConfigSchema } from "../versions/schemas";
import { AgentCardSchema } from "./agent-card";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export const AGENT_STATUSES = ["active", "suspended", "retired"] as const;

export const SlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,62}$/,
    "2–63 characters: lowercase letters, digits and dashes, starting with a letter or digit",
  );

export const RegisterAgentSchema = z.object({
  slug: SlugSchema,
  name: z.string().trim().min(1, "required").max(100),
  description: z.string().trim().max(2000).default(""),
  teamId: z.string().trim().min(1, "choose a team"),
  environment: z.enum(ENVIRONMENTS),
  ownerId: z.string().trim().min(1).optional().nullable(),
  config: AgentConfigSchema,
  agentCard: AgentCardSchema.optional().nullable(),
});
export type RegisterAgentInput = z.input<typeof RegisterAgentSchema>;

export const UpdateAgentSchema = z
  .object({
    name: z.string().trim().min(1, "required").max(100),
    description: z.string().trim().max(2000),
    teamId: z.string().trim().min(1),
    environment: z.enum(ENVIRONMENTS),
    ownerId: z.string().trim().min(1).nullable(),
    catalogToolsOnly: z
      .boolean()
      .meta({ description: "Refuse calls to mcp: tools the tool catalog does not hold (tool_not_catalogued)" }),
    overrideGates: z.boolean().meta({
      description:
        "Move the agent although its live version has not passed the new environment's required eval suites (a reason is required; audited as an override)",
    }),
    reason: z.string().trim().max(1000).meta({ description: "Why (required to override the eval gates)" }),
  })
  .partial()
  .strict();
export type UpdateAgentInput = z.input<typeof UpdateAgentSchema>;

export const AGENT_SORTS = ["name", "team", "status", "used", "spend", "activity"] as const;
export type AgentSort = (typeof AGENT_SORTS)[number];

export const ListAgentsQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  teamId: z.string().trim().optional(),
  environment: z.enum(ENVIRONMENTS).optional(),
  status: z.enum(AGENT_STATUSES).optional(),
  // A cursor by name holds the last name (up to 100 characters, JSON-escaped) and slug, in base64url.
  cursor: z.string().max(1200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  sort: z
    .enum(AGENT_SORTS)
    .default("name")
    .meta({ description: "Sort by name (then slug), team, status, budget % used, spend this month or last activity" }),
  dir: z.enum(["asc", "desc"]).default("asc"),
});
export type ListAgentsQuery = z.input<typeof ListAgentsQuerySchema>;
