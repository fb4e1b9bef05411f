import "server-only";
import type { Actor } from "../actor";
import { periodEnd, periodStart } from "../budgets/periods";
import { allBudgets } from "../budgets/queries";
import { forecastSpend } from "./forecast";
import { indexSpend, sliceSpend, spendByAgentAndBucket } from "./queries";

const DAY = 86_400_000;

/** The weekday (0 = Sunday) of a local day start in a time zone. */
function weekdayIn(timeZone: string) {
  const fmt = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short" });
  return (d: Date) => ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(fmt.format(d));
}

/**
 * For each live budget the actor may see: cumulative spend so far this period against its limit, and the
 * forecast to the period's end (see forecast.ts for the method), flagged when and if it crosses the limit.
 */
export async function budgetBurn(actor: Actor, now = new Date()) {
  const budgets = await allBudgets(actor, {}, now);
  if (budgets.length === 0) return [];
  // Every budget shares the organisation's time zone; each reads its slice of two or three set-based reads.
  const timeZone = budgets[0].timeZone;
  const today = periodStart("day", now, timeZone);
  const historyFrom = periodStart("day", new Date(today.getTime() - 28 * DAY + 3_600_000 * 3), timeZone);
  const endOfToday = periodEnd("day", now, timeZone);
  const endOfHour = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000);
  // A day's budget is drawn hour by hour, longer periods day by day; so is one whose period does not start at a local
  // midnight (the period running at a change of zone runs to its end as cut before: PeriodZone in budgets/periods.ts).
  const unitOf = (b: (typeof budgets)[number]) =>
    b.period === "day" || periodStart("day", b.periodStart, timeZone).getTime() !== b.periodStart.getTime()
      ? "hour"
      : "day";
  const earliest = (bs: typeof budgets, floor: Date) =>
    new Date(Math.min(floor.getTime(), ...bs.map((b) => b.periodStart.getTime())));
  const weekdayOf = weekdayIn(timeZone);
  const hourly = budgets.filter((b) => unitOf(b) === "hour");
  const [days, hours] = await Promise.all([
    spendByAgentAndBucket(
      "day",
      earliest(
        budgets.filter((b) => unitOf(b) === "day"),
        historyFrom,
      ),
      endOfToday,
      timeZone,
    ),
    hourly.length ? spendByAgentAndBucket("hour", earliest(hourly, today), endOfHour, timeZone) : [],
  ]);
  const dayRows = indexSpend(days);
  const hourRows = indexSpend(hours);
  return budgets.map((b) => {
    const scope = b.scope === "agent" ? { agentId: b.agentId } : b.scope === "team" ? { teamId: b.teamId } : {};
    const unit = unitOf(b);
    const history = sliceSpend(dayRows(scope), "day", historyFrom, today, timeZone);
    const sofar =
      unit === "hour"
        ? sliceSpend(hourRows(scope), "hour", b.periodStart, endOfHour, timeZone)
        : sliceSpend(dayRows(scope), "day", b.periodStart, endOfToday, timeZone);
    let cumulative = 0;
    // Cumulative spend at the end of each hour or day so far (the current one: now).
    const actual = sofar.map((d) => {
      const end = unit === "hour" ? new Date(d.day.getTime() + 3_600_000) : periodEnd("day", d.day, timeZone);
      cumulative += d.micros;
      return { at: end < now ? end : now, micros: cumulative };
    });
    // The forecast's days, from the later of today and the period's start to its end (either may fall mid-day after
    // a change of zone).
    const boundaries = [today > b.periodStart ? today : b.periodStart];
    while (boundaries[boundaries.length - 1] < b.resetsAt) {
      const next = periodEnd("day", boundaries[boundaries.length - 1], timeZone);
      boundaries.push(next < b.resetsAt ? next : b.resetsAt);
    }
    const forecast = forecastSpend({
      history,
      spentMicros: Number(b.spentMicros),
      limitMicros: Number(b.limitMicros),
      now,
      dayBoundaries: boundaries,
      weekdayOf,
    });
    return { budget: b, actual, forecast };
  });
}
