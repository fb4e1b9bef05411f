import { z } from "zod";
import { isMaskedUrl } from "../webhooks/mask-url";
import { MASKED, NO_USERINFO, withoutUserinfo } from "../webhooks/schemas";

export const McpServerInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(2)
    .max(40)
    .regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and dashes: the <server> in mcp:<server>/<tool>"),
  url: z
    .url({ protocol: /^https?$/, error: "an http(s) URL of the server's Streamable HTTP endpoint" })
    .max(2000)
    .refine(withoutUserinfo, NO_USERINFO)
    .refine((u) => !isMaskedUrl(u), MASKED)
    .nullable()
    .optional(),
  description: z.string().trim().max(500).default(""),
});
export type McpServerInput = z.input<typeof McpServerInputSchema>;

/** One tool as `tools/list` returns it (MCP 2025-06-18): what we keep of it. */
export const McpToolSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_.-]+$/, "tool names are letters, digits and _ . - (no slash: it names mcp:<server>/<tool>)"),
  title: z.string().max(200).optional(),
  description: z.string().max(10_000).optional(),
  inputSchema: z.looseObject({ type: z.literal("object") }),
  annotations: z
    .looseObject({
      title: z.string().max(200).optional(),
      readOnlyHint: z.boolean().optional(),
      destructiveHint: z.boolean().optional(),
      idempotentHint: z.boolean().optional(),
      openWorldHint: z.boolean().optional(),
    })
    .optional(),
});

/** A `tools/list` result, uploaded instead of connecting to the server. */
export const ToolsListSchema = z.object({
  tools: z
    .array(McpToolSchema)
    .max(1000)
    .refine((tools) => new Set(tools.map((t) => t.name)).size === tools.length, "tool names must be unique"),
});

/** Import: upload a tools/list result, or send nothing to connect to the server's URL. */
export const ImportToolsInputSchema = ToolsListSchema.partial();

export const ToolViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    resource: z.string().meta({ description: "What rules match: mcp:<server>/<tool>" }),
    title: z.string().nullable(),
    description: z.string(),
    inputSchema: z.unknown(),
    readOnlyHint: z.boolean(),
    destructiveHint: z.boolean(),
    idempotentHint: z.boolean(),
    openWorldHint: z.boolean(),
    status: z.enum(["trusted", "held", "rejected", "removed"]),
    pending: z
      .unknown()
      .nullable()
      .meta({ description: "The changed definition waiting for an admin (held), or rejected by one (rejected)" }),
    pendingDigest: z
      .string()
      .nullable()
      .meta({ description: "Names the waiting definition: send it as definitionDigest to accept or reject just that" }),
    changedFields: z.array(z.string()),
    isNew: z
      .boolean()
      .meta({ description: "Held (or rejected) as it appeared after the server's first import: never accepted" }),
  })
  .meta({ id: "McpTool" });

export const McpServerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string().nullable().meta({
      description:
        "Whole for admins; for everyone else masked to scheme://host/…#fingerprint (a hosted server's credential is in its URL)",
    }),
    description: z.string(),
    lastImportedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    tools: z.array(ToolViewSchema),
  })
  .meta({ id: "McpServer" });

export const ImportSummarySchema = z
  .object({
    server: z.string(),
    added: z.array(z.string()),
    changed: z.array(z.object({ name: z.string(), fields: z.array(z.string()) })),
    removed: z.array(z.string()),
    restored: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })).meta({
      description:
        "Tools listed again as they were accepted: trusted again (from held, rejected or removed), or a never-accepted tool held again",
    }),
    unchanged: z.number().int(),
  })
  .meta({ id: "ToolImport", description: "What the import changed: changed tools are held until an admin accepts" });

/** A review of a tool's waiting definition: of the one the reviewer saw, when they say which (else of what waits). */
export const ToolReviewSchema = z
  .object({
    definitionDigest: z
      .string()
      .regex(/^[0-9a-f]{64}$/, "the pendingDigest the catalog gave")
      .optional()
      .meta({
        description:
          "The tool's pendingDigest as read: the review is refused (409 tool_changed) if the waiting definition changed since",
      }),
  })
  .meta({ id: "ToolReview" });
