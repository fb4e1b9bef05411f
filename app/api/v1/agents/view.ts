import { z } from "zod";
import { AGENT_STATUSES, ENVIRONMENTS } from "@/lib/domain/agents/schemas";
import { PendingChangeSchema } from "@/lib/domain/changes/schemas";
import { microsToUsd } from "@/lib/domain/money";

type AgentLike = {
  id: string;
  slug: string;
  name: string;
  description: string;
  teamId: string;
  environment: string;
  status: string;
  ownerId: string | null;
  lastActivityAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deployedVersion?: { number: number } | null;
  pendingChange?: { status: string; requestId: string };
  spendThisMonthMicros?: bigint;
};

/** The API's agent shape: stable field names, money in USD. */
export function agentView(a: AgentLike) {
  return {
    id: a.id,
    slug: a.slug,
    name: a.name,
    description: a.description,
    teamId: a.teamId,
    environment: a.environment,
    status: a.status,
    ownerId: a.ownerId,
    deployedVersion: a.deployedVersion?.number ?? null,
    ...(a.spendThisMonthMicros !== undefined ? { spendThisMonthUsd: microsToUsd(a.spendThisMonthMicros) } : {}),
    lastActivityAt: a.lastActivityAt,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    // Set when part of the change waits for a second admin (four-eyes): the change request's id.
    ...(a.pendingChange ? { pendingChange: a.pendingChange } : {}),
  };
}

/** The response shape of `agentView`. */
export const AgentSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    teamId: z.string(),
    environment: z.enum(ENVIRONMENTS),
    status: z.enum(AGENT_STATUSES),
    ownerId: z.string().nullable(),
    deployedVersion: z.number().int().nullable(),
    spendThisMonthUsd: z.number().optional(),
    lastActivityAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    pendingChange: PendingChangeSchema.optional(),
  })
  .meta({ id: "Agent" });

/** Path parameter descriptions of the routes under /api/v1/agents/{id}. */
export const AGENT_PARAM = { id: "Agent id or slug" };
export const KEY_PARAMS = { ...AGENT_PARAM, keyId: "Key id" };
export const RULE_PARAMS = { ...AGENT_PARAM, ruleId: "Rule id" };
