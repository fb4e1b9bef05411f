import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { readableTeamIds, type Actor } from "../actor";

/** Daily spend per team from the hourly rollups (bounded by time, scoped to the actor's teams). */
export async function dailySpendByTeam(actor: Actor, range: { from: Date; to: Date }) {
  const teams = readableTeamIds(actor);
  const teamFilter = teams ? Prisma.sql`AND r."teamId" IN (${teams.length ? Prisma.join(teams) : Prisma.sql`NULL`})` : Prisma.empty;
  const rows = await db().$queryRaw<{ day: Date; teamId: string; cost: bigint; calls: bigint; unpriced: bigint; tokens: bigint }[]>`
    SELECT date_trunc('day', r.hour) AS day, r."teamId", SUM(r."costMicros")::bigint AS cost, SUM(r.calls)::bigint AS calls,
           SUM(r."unpricedCalls")::bigint AS unpriced, SUM(r."inputTokens" + r."outputTokens")::bigint AS tokens
    FROM usage_rollups_hourly r
    WHERE r.hour >= ${range.from} AND r.hour < ${range.to} ${teamFilter}
    GROUP BY 1, 2 ORDER BY 1`;
  const teamRows = await db().team.findMany({ where: teams ? { id: { in: teams } } : {}, select: { id: true, name: true }, orderBy: { name: "asc" } });
  return { rows, teams: teamRows };
}
