import { z } from "zod";
import { fieldErrorsUnder, invalid } from "../errors";

/**
 * An A2A v1.0 Agent Card, as `specification/a2a.proto` of the A2A project defines it (fields in JSON's camelCase).
 * The project publishes its JSON Schema only as a build artefact of that file, and without the proto's required
 * fields, so the card is checked here against the proto's own messages and field behaviours: required fields
 * present, types exact, nothing unknown at the card's top level (a v0.3 card is told what changed).
 */
const text = (max = 1000) => z.string().trim().min(1, "required").max(max);
const url = z.url({ protocol: /^https?$/, error: "an http(s) URL" }).max(2000);
const modes = z.array(text(200)).max(50);

const SecurityRequirementSchema = z
  .object({ schemes: z.record(z.string(), z.object({ list: z.array(z.string().max(200)).max(50) })) })
  .strict();

const AgentSkillSchema = z
  .object({
    id: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
        "letters, digits, dots, dashes and underscores (it names a resource)",
      ),
    name: text(200),
    description: text(5000),
    tags: z.array(text(100)).max(50),
    examples: z.array(z.string().max(5000)).max(50).optional(),
    inputModes: modes.optional(),
    outputModes: modes.optional(),
    securityRequirements: z.array(SecurityRequirementSchema).max(20).optional(),
  })
  .strict();

const AgentInterfaceSchema = z
  .object({
    url,
    protocolBinding: text(50).meta({ description: "JSONRPC, GRPC or HTTP+JSON (open)" }),
    protocolVersion: text(20).meta({ description: 'e.g. "1.0"' }),
    tenant: z.string().max(200).optional(),
  })
  .strict();

const AgentExtensionSchema = z
  .object({
    uri: z.string().max(2000).optional(),
    description: z.string().max(5000).optional(),
    required: z.boolean().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** A card is a description, not a payload: the console lists peers' cards and the audit trail keeps each one. */
export const MAX_CARD_BYTES = 64 * 1024;

export const AgentCardSchema = z
  .object({
    name: text(200),
    description: text(5000),
    supportedInterfaces: z.array(AgentInterfaceSchema).min(1, "at least one interface").max(20),
    provider: z
      .object({ url, organization: text(200) })
      .strict()
      .optional(),
    version: text(100),
    documentationUrl: url.optional(),
    capabilities: z
      .object({
        streaming: z.boolean().optional(),
        pushNotifications: z.boolean().optional(),
        extensions: z.array(AgentExtensionSchema).max(50).optional(),
        extendedAgentCard: z.boolean().optional(),
      })
      .strict(),
    securitySchemes: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    securityRequirements: z.array(SecurityRequirementSchema).max(20).optional(),
    defaultInputModes: modes,
    defaultOutputModes: modes,
    skills: z
      .array(AgentSkillSchema)
      .max(200)
      .superRefine((skills, ctx) => {
        const seen = new Set<string>();
        skills.forEach((s, i) => {
          if (seen.has(s.id))
            ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate skill id "${s.id}"` });
          seen.add(s.id);
        });
      }),
    signatures: z
      .array(
        z
          .object({
            protected: z.string().max(10_000),
            signature: z.string().max(10_000),
            header: z.record(z.string(), z.unknown()).optional(),
          })
          .strict(),
      )
      .max(10)
      .optional(),
    iconUrl: url.optional(),
  })
  .strict()
  .superRefine((card, ctx) => {
    if (Buffer.byteLength(JSON.stringify(card)) > MAX_CARD_BYTES)
      ctx.addIssue({ code: "custom", message: `over ${MAX_CARD_BYTES / 1024} KiB` });
  })
  .meta({ id: "AgentCard", description: "An A2A v1.0 Agent Card (a2a.proto's AgentCard)" });
export type AgentCard = z.output<typeof AgentCardSchema>;

/** The action an agent asks for before it sends a task to a peer agent's skill (A2A `SendMessage`). */
export const A2A_SEND = "a2a:send";

/** The rule resource of one of an agent's A2A skills. */
export const a2aSkillResource = (agentSlug: string, skillId: string) => `a2a:${agentSlug}/${skillId}`;

const V03_FIELDS = ["url", "preferredTransport", "additionalInterfaces", "protocolVersion"];

/** A card, validated (422 with the fields at fault); a v0.3 card is told what changed in v1.0. */
export function parseAgentCard(raw: unknown): AgentCard {
  const legacy = raw && typeof raw === "object" ? V03_FIELDS.filter((k) => k in raw) : [];
  if (legacy.length)
    throw invalid("This is an A2A v0.3 card: import a v1.0 card", {
      [`agentCard.${legacy[0]}`]: [
        `${legacy.join(", ")}: v1.0 lists each endpoint in supportedInterfaces, each with its protocolVersion`,
      ],
    });
  const result = AgentCardSchema.safeParse(raw);
  if (result.success) return result.data;
  throw invalid("The agent card is not a valid A2A v1.0 Agent Card", fieldErrorsUnder("agentCard", result.error));
}
