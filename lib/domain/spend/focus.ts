import "server-only";
import { z } from "zod";
import { withReader } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { toCsv } from "@/lib/http/csv";
import { type Actor, readableTeamIds } from "../actor";
import { periodEnd, periodStart } from "../budgets/periods";
import { sumMicros } from "../money-sql";
import { orgTimeZone } from "../settings/queries";
import { rollupsIn } from "./queries";
import { checkRange, MAX_SPAN, rangeDate } from "./schemas";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The range of a FOCUS export (whole hours, at most 400 days) and optional filters. */
export const FocusQuerySchema = z
  .object({
    from: rangeDate,
    to: rangeDate,
    teamId: z.string().max(100).optional(),
    agentId: z.string().max(100).optional(),
  })
  .superRefine((q, ctx) => checkRange(q, ctx, MAX_SPAN.day));
export type FocusQuery = z.input<typeof FocusQuerySchema>;

/**
 * The columns of the FinOps FOCUS 1.3 cost and usage dataset this export fills, in order, then its own `x_` columns
 * (agent, team, calls, token kinds, unpriced calls). One row is one agent's use of one model over one local day of the
 * organisation's time zone, clipped to the range.
 */
export const FOCUS_COLUMNS = [
  "BilledCost",
  "BillingCurrency",
  "BillingPeriodStart",
  "BillingPeriodEnd",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargeFrequency",
  "ChargePeriodStart",
  "ChargePeriodEnd",
  "ConsumedQuantity",
  "ConsumedUnit",
  "ContractedCost",
  "EffectiveCost",
  "ListCost",
  "PricingQuantity",
  "PricingUnit",
  "ServiceCategory",
  "ServiceName",
  "ServiceProviderName",
  "SkuId",
  "Tags",
  "x_AgentId",
  "x_AgentSlug",
  "x_TeamId",
  "x_TeamName",
  "x_Calls",
  "x_Errors",
  "x_InputTokens",
  "x_CachedInputTokens",
  "x_OutputTokens",
  "x_UnpricedCalls",
] as const;

/** Micro-dollars as a decimal amount in dollars, exactly (FOCUS costs are decimals, never floats). */
export function microsToDecimal(micros: bigint): string {
  const sign = micros < 0n ? "-" : "";
  const abs = micros < 0n ? -micros : micros;
  return `${sign}${abs / 1_000_000n}.${(abs % 1_000_000n).toString().padStart(6, "0")}`;
}

/** FOCUS date-times: ISO 8601 in UTC to the second, e.g. 2026-11-01T00:00:00Z. */
const focusTime = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

type FocusRow = {
  day: Date;
  agentId: string;
  teamId: string;
  model: string;
  calls: bigint;
  errors: bigint;
  unpricedCalls: bigint;
  inputTokens: bigint;
  cachedInputTokens: bigint;
  outputTokens: bigint;
  costMicros: bigint;
};

/**
 * Spend as FOCUS 1.3 rows, from the rollups (never the raw events), scoped to the teams the actor may read. Costs are
 * what the product priced or the agent reported: billed, effective, list and contracted cost are the same figure (no
 * discounts are known here); calls with no price count in `x_UnpricedCalls` and add nothing to the cost.
 */
export function focusExport(actor: Actor, raw: FocusQuery | Record<string, unknown>) {
  const q = FocusQuerySchema.parse(raw);
  const from = new Date(Math.floor(q.from.getTime() / HOUR) * HOUR);
  const to = new Date(Math.ceil(q.to.getTime() / HOUR) * HOUR);
  return { from, to, chunks: focusChunks(actor, q, from, to) };
}

/** The export as CSV text: the header, then a week of rows at a time (the shared writer: formula cells neutralised). */
export function focusCsv(actor: Actor, raw: FocusQuery | Record<string, unknown>) {
  const { from, to, chunks } = focusExport(actor, raw);
  async function* csv() {
    yield toCsv([], FOCUS_COLUMNS);
    for await (const rows of chunks) if (rows.length) yield toCsv(rows);
  }
  return { from, to, chunks: csv() };
}

/**
 * The rows a week of local days at a time (windows start at local midnights, so no day is split between two), so
 * memory holds one week's rows whatever the range.
 */
async function* focusChunks(
  actor: Actor,
  q: z.output<typeof FocusQuerySchema>,
  rangeFrom: Date,
  rangeTo: Date,
): AsyncGenerator<unknown[][]> {
  const timeZone = await orgTimeZone();
  for (let from = rangeFrom; from < rangeTo; ) {
    let next = periodStart("day", new Date(from.getTime() + 7 * DAY), timeZone);
    if (next <= from) next = periodEnd("day", from, timeZone);
    const to = next < rangeTo ? next : rangeTo;
    yield await focusWindow(actor, q, from, to, timeZone);
    from = to;
  }
}

async function focusWindow(
  actor: Actor,
  q: z.output<typeof FocusQuerySchema>,
  from: Date,
  to: Date,
  timeZone: string,
): Promise<unknown[][]> {
  const teams = readableTeamIds(actor);
  const where = Prisma.sql`TRUE
    ${teams ? Prisma.sql`AND r."teamId" IN (${teams.length ? Prisma.join(teams) : Prisma.sql`NULL`})` : Prisma.empty}
    ${q.teamId ? Prisma.sql`AND r."teamId" = ${q.teamId}` : Prisma.empty}
    ${q.agentId ? Prisma.sql`AND r."agentId" = ${q.agentId}` : Prisma.empty}`;
  const { rows, agents, teamNames, providers } = await withReader(async (reader) => {
    const rows = await reader.$queryRaw<FocusRow[]>`
      SELECT date_trunc('day', r.hour AT TIME ZONE 'UTC', ${timeZone}) AS day, r."agentId", r."teamId", r.model,
        SUM(r.calls)::bigint AS calls, SUM(r.errors)::bigint AS errors, SUM(r."unpricedCalls")::bigint AS "unpricedCalls",
        SUM(r."inputTokens")::bigint AS "inputTokens", SUM(r."cachedInputTokens")::bigint AS "cachedInputTokens",
        SUM(r."outputTokens")::bigint AS "outputTokens", ${sumMicros(Prisma.sql`r."costMicros"`)} AS "costMicros"
      FROM ${rollupsIn("day", from, to, timeZone)} r WHERE ${where}
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
    const agentIds = [...new Set(rows.map((r) => r.agentId))];
    const teamIds = [...new Set(rows.map((r) => r.teamId))];
    const models = [...new Set(rows.map((r) => r.model))];
    const agents = await reader.agent.findMany({ where: { id: { in: agentIds } }, select: { id: true, slug: true } });
    const teamNames = await reader.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, name: true } });
    const providers = await reader.modelPrice.findMany({
      where: { model: { in: models } },
      orderBy: { effectiveFrom: "desc" },
      select: { model: true, provider: true },
    });
    return { rows, agents, teamNames, providers };
  });
  const slugOf = new Map(agents.map((a) => [a.id, a.slug]));
  const teamOf = new Map(teamNames.map((t) => [t.id, t.name]));
  const providerOf = new Map<string, string>();
  for (const p of providers) if (!providerOf.has(p.model)) providerOf.set(p.model, p.provider); // the newest price
  return rows.map((r) => {
    const start = r.day < from ? from : r.day;
    const dayEnd = periodEnd("day", r.day, timeZone);
    const end = dayEnd > to ? to : dayEnd;
    const provider = providerOf.get(r.model) ?? (r.model.includes("/") ? r.model.split("/")[0] : "Unknown");
    const cost = microsToDecimal(r.costMicros);
    const tokens = r.inputTokens + r.outputTokens;
    const slug = slugOf.get(r.agentId) ?? r.agentId;
    const team = teamOf.get(r.teamId) ?? r.teamId;
    const row: Record<(typeof FOCUS_COLUMNS)[number], unknown> = {
      BilledCost: cost,
      BillingCurrency: "USD",
      BillingPeriodStart: focusTime(periodStart("month", r.day, timeZone)),
      BillingPeriodEnd: focusTime(periodEnd("month", r.day, timeZone)),
      ChargeCategory: "Usage",
      ChargeClass: null,
      ChargeDescription: `${r.model} tokens used by agent ${slug}`,
      ChargeFrequency: "Usage-Based",
      ChargePeriodStart: focusTime(start),
      ChargePeriodEnd: focusTime(end),
      ConsumedQuantity: tokens,
      ConsumedUnit: "Tokens",
      ContractedCost: cost,
      EffectiveCost: cost,
      ListCost: cost,
      PricingQuantity: tokens,
      PricingUnit: "Tokens",
      ServiceCategory: "AI and Machine Learning",
      ServiceName: `${provider} models`,
      ServiceProviderName: provider,
      SkuId: r.model,
      Tags: { "acp/agent": slug, "acp/team": team },
      x_AgentId: r.agentId,
      x_AgentSlug: slug,
      x_TeamId: r.teamId,
      x_TeamName: team,
      x_Calls: r.calls,
      x_Errors: r.errors,
      x_InputTokens: r.inputTokens,
      x_CachedInputTokens: r.cachedInputTokens,
      x_OutputTokens: r.outputTokens,
      x_UnpricedCalls: r.unpricedCalls,
    };
    return FOCUS_COLUMNS.map((c) => row[c]);
  });
}
