/** The spend page's URL state, shared by the server render and the client explorer. */
export type SpendParams = {
  range: string;
  from?: string;
  to?: string;
  bucket: "hour" | "day" | "week";
  groupBy: "agent" | "team" | "model" | "tool";
  teamId?: string;
  agentId?: string;
};

export const RANGES = [
  { id: "24h", label: "24 hours", days: 1 },
  { id: "7d", label: "7 days", days: 7 },
  { id: "30d", label: "30 days", days: 30 },
  { id: "90d", label: "90 days", days: 90 },
] as const;

const HOUR = 3_600_000;

export function readSpendParams(
  sp: Record<string, string | undefined>,
  defaultGroup: SpendParams["groupBy"],
): SpendParams {
  const custom = sp.range === "custom" && sp.from && sp.to;
  const range = custom ? "custom" : (RANGES.find((r) => r.id === sp.range)?.id ?? "30d");
  const bucket = (["hour", "day", "week"] as const).find((b) => b === sp.bucket) ?? (range === "24h" ? "hour" : "day");
  const groupBy = (["agent", "team", "model", "tool"] as const).find((g) => g === sp.groupBy) ?? defaultGroup;
  return {
    range,
    from: custom ? sp.from : undefined,
    to: custom ? sp.to : undefined,
    bucket,
    groupBy,
    teamId: sp.teamId || undefined,
    agentId: sp.agentId || undefined,
  };
}

/** The instants a preset or custom range stands for; custom dates are whole UTC days, `to` inclusive. */
export function resolveRange(p: SpendParams, now = new Date()): { from: Date; to: Date } {
  if (p.range === "custom" && p.from && p.to)
    return { from: new Date(`${p.from}T00:00:00Z`), to: new Date(new Date(`${p.to}T00:00:00Z`).getTime() + 24 * HOUR) };
  const days = RANGES.find((r) => r.id === p.range)?.days ?? 30;
  const to = new Date(Math.ceil(now.getTime() / HOUR) * HOUR);
  return { from: new Date(to.getTime() - days * 24 * HOUR), to };
}

/** The query string the API endpoints take for these params. */
export function apiQuery(p: SpendParams, now = new Date()): URLSearchParams {
  const { from, to } = resolveRange(p, now);
  const q = new URLSearchParams({
    from: from.toISOString(),
    to: to.toISOString(),
    bucket: p.bucket,
    groupBy: p.groupBy,
  });
  if (p.teamId) q.set("teamId", p.teamId);
  if (p.agentId) q.set("agentId", p.agentId);
  return q;
}

/** The console URL for these params (shareable). */
export function pageQuery(p: SpendParams): string {
  const q = new URLSearchParams({ range: p.range, bucket: p.bucket, groupBy: p.groupBy });
  if (p.range === "custom" && p.from && p.to) {
    q.set("from", p.from);
    q.set("to", p.to);
  }
  if (p.teamId) q.set("teamId", p.teamId);
  if (p.agentId) q.set("agentId", p.agentId);
  return q.toString();
}
