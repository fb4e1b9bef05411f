import { z } from "zod";
import { currentPasswordField } from "../users/schemas";

export const CreateAgentKeySchema = z.object({
  name: z.string().trim().min(1, "required").max(100),
  expiresInDays: z.number().int().min(1).max(730).nullable().default(90),
  currentPassword: currentPasswordField,
});
export type CreateAgentKeyInput = z.input<typeof CreateAgentKeySchema>;

export const RotateAgentKeySchema = z.object({
  // How long the old key keeps working after the new one is issued.
  graceMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .default(60),
  expiresInDays: z.number().int().min(1).max(730).nullable().default(90),
  currentPassword: currentPasswordField,
});
export type RotateAgentKeyInput = z.input<typeof RotateAgentKeySchema>;

/** What the API and console show of a key: never the hash. */
export const keyView = (k: {
  id: string;
  agentId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  rotatedToId?: string | null;
}) => ({
  id: k.id,
  agentId: k.agentId,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt,
  expiresAt: k.expiresAt,
  revokedAt: k.revokedAt,
  lastUsedAt: k.lastUsedAt,
  rotatedToId: k.rotatedToId ?? null,
});

/** The response shape of `keyView`. */
export const AgentKeySchema = z
  .object({
    id: z.string(),
    agentId: z.string(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
    rotatedToId: z.string().nullable(),
  })
  .meta({ id: "AgentKey" });
export const NewAgentKeySchema = AgentKeySchema.extend({
  token: z.string().meta({ description: "The secret, shown only in this response." }),
}).meta({ id: "NewAgentKey" });
export const RotatedAgentKeySchema = NewAgentKeySchema.extend({
  previous: AgentKeySchema.meta({ description: "The old key: it works until its grace period ends." }),
}).meta({ id: "RotatedAgentKey" });
