import "server-only";
import type { Actor } from "../actor";
import { periodEnd, periodStart } from "../budgets/periods";
import { listBudgets } from "../budgets/queries";
import { forecastSpend } from "./forecast";
import { bucketSpend } from "./queries";

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
  const budgets = await listBudgets(actor, {}, now);
  return Promise.all(
    budgets.map(async (b) => {
      const scope = b.scope === "agent" ? { agentId: b.agentId } : b.scope === "team" ? { teamId: b.teamId } : {};
      const today = periodStart("day", now, b.timeZone);
      // A day's budget is drawn hour by hour, longer periods day by day.
      const unit = b.period === "day" ? "hour" : "day";
      const [history, sofar] = await Promise.all([
        bucketSpend(
          scope,
          "day",
          periodStart("day", new Date(today.getTime() - 28 * DAY + 3_600_000 * 3), b.timeZone),
          today,
          b.timeZone,
        ),
        bucketSpend(
          scope,
          unit,
          b.periodStart,
          unit === "hour"
            ? new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000)
            : periodEnd("day", now, b.timeZone),
          b.timeZone,
        ),
      ]);
      let cumulative = 0;
      // Cumulative spend at the end of each hour or day so far (the current one: now).
      const actual = sofar.map((d) => {
        const end = unit === "hour" ? new Date(d.day.getTime() + 3_600_000) : periodEnd("day", d.day, b.timeZone);
        cumulative += d.micros;
        return { at: end < now ? end : now, micros: cumulative };
      });
      const boundaries = [today];
      while (boundaries[boundaries.length - 1] < b.resetsAt)
        boundaries.push(periodEnd("day", boundaries[boundaries.length - 1], b.timeZone));
      const forecast = forecastSpend({
        history,
        spentMicros: Number(b.spentMicros),
        limitMicros: Number(b.limitMicros),
        now,
        dayBoundaries: boundaries,
        weekdayOf: weekdayIn(b.timeZone),
      });
      return { budget: b, actual, forecast };
    }),
  );
}
