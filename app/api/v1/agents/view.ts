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
