import { dateOnly } from "@/components/format";
import { localDayStart, periodStart } from "@/lib/domain/budgets/periods";
import { MAX_SPAN } from "@/lib/domain/spend/schemas";

/** The spend page's URL state, shared by the server render and the client explorer. */
export type SpendParams = {
  range: string;
  from?: string;
  to?: string;
  bucket: Bucket;
  groupBy: "agent" | "team" | "model" | "tool";
  teamId?: string;
  agentId?: string;
};
type Bucket = "hour" | "day" | "week";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Rolling ranges up to the end of the current hour: "24 hours" is the last 24 hours, "N days" the last N whole days
 * in the organisation's time zone, today included, so day buckets draw N bars (no partial first day).
 */
export const RANGES = [
  { id: "24h", label: "24 hours", days: 1 },
  { id: "7d", label: "7 days", days: 7 },
  { id: "30d", label: "30 days", days: 30 },
  { id: "90d", label: "90 days", days: 90 },
] as const;

/** Calendar ranges, in the organisation's time zone (weeks start on Monday). */
export const CALENDAR = [
  { id: "today", label: "Today" },
  { id: "week", label: "This week" },
  { id: "mtd", label: "Month to date" },
  { id: "lastmonth", label: "Last month" },
] as const;

const BUCKETS = ["hour", "day", "week"] as const;
const GROUPS = ["agent", "team", "model", "tool"] as const;
const BUCKET_WORD = { hour: "hourly", day: "daily", week: "weekly" } as const;
const DEFAULT_RANGE = "30d";

const isPreset = (id: string) => RANGES.some((r) => r.id === id) || CALENDAR.some((r) => r.id === id);
const defaultBucket = (range: string): Bucket => (range === "24h" || range === "today" ? "hour" : "day");

/** The instants a preset or custom range stands for; custom dates are whole days in `timeZone`, `to` inclusive. */
export function resolveRange(p: SpendParams, timeZone = "UTC", now = new Date()): { from: Date; to: Date } {
  // The end of the hour in progress (the rollups' grain), so the current hour is in even on the hour exactly.
  const untilNow = new Date(Math.floor(now.getTime() / HOUR) * HOUR + HOUR);
  if (p.range === "custom" && p.from && p.to) {
    const from = localDayStart(p.from, timeZone);
    const last = localDayStart(p.to, timeZone);
    if (from && last) return { from, to: nextDay(last, timeZone) };
  }
  if (p.range === "today") return { from: periodStart("day", now, timeZone), to: untilNow };
  if (p.range === "week") return { from: periodStart("week", now, timeZone), to: untilNow };
  if (p.range === "mtd") return { from: periodStart("month", now, timeZone), to: untilNow };
  if (p.range === "lastmonth") {
    const thisMonth = periodStart("month", now, timeZone);
    return { from: periodStart("month", new Date(thisMonth.getTime() - 1), timeZone), to: thisMonth };
  }
  const days = RANGES.find((r) => r.id === p.range)?.days ?? 30;
  if (days === 1) return { from: new Date(untilNow.getTime() - DAY), to: untilNow };
  return { from: daysBefore(periodStart("day", now, timeZone), days - 1, timeZone), to: untilNow };
}

/** Local midnight `n` calendar days before the local midnight `dayStart` (days are 23 to 25 hours around DST). */
function daysBefore(dayStart: Date, n: number, timeZone: string): Date {
  return periodStart("day", new Date(dayStart.getTime() - n * DAY + 12 * HOUR), timeZone);
}

/** Local midnight of the day after the one starting at `dayStart` (23 to 25 hours later around DST). */
function nextDay(dayStart: Date, timeZone: string): Date {
  return periodStart("day", new Date(dayStart.getTime() + 26 * HOUR), timeZone);
}

/**
 * Any query string → parameters the API accepts, with a short note per correction: an unknown range, bucket or
 * grouping falls back to its default; unreadable custom dates fall back to the default range; From after To is
 * swapped; a range too long for its bucket gets the finest bucket allowed; a range beyond three years is shortened.
 */
export function correctSpendParams(
  sp: Record<string, string | undefined>,
  defaultGroup: SpendParams["groupBy"],
  timeZone = "UTC",
  now = new Date(),
): { params: SpendParams; notes: string[] } {
  const notes: string[] = [];
  let range = sp.range ?? DEFAULT_RANGE;
  let from: string | undefined;
  let to: string | undefined;
  if (range === "custom") {
    const f = sp.from ? localDayStart(sp.from, timeZone) : null;
    const t = sp.to ? localDayStart(sp.to, timeZone) : null;
    if (!f || !t) {
      notes.push(
        `${!sp.from || !sp.to ? "A custom range needs a From and a To date" : "The custom dates could not be read (YYYY-MM-DD)"}: showing the last 30 days.`,
      );
      range = DEFAULT_RANGE;
    } else {
      [from, to] = [sp.from, sp.to];
      if (f.getTime() > t.getTime()) {
        [from, to] = [to, from];
        notes.push(`From was after To: the dates were swapped (${from} to ${to}).`);
      }
      const maxDays = 3 * 365; // within the API's limit whatever the DST shifts
      const last = localDayStart(to!, timeZone)!;
      const first = localDayStart(from!, timeZone)!;
      if (nextDay(last, timeZone).getTime() - first.getTime() > MAX_SPAN.week) {
        from = dateOnly(new Date(last.getTime() - (maxDays - 1) * DAY + 12 * HOUR), timeZone);
        notes.push(`A range covers at most ${maxDays} days: it now starts on ${from}.`);
      }
    }
  } else if (!isPreset(range)) {
    notes.push(`Unknown range "${clip(range)}": showing the last 30 days.`);
    range = DEFAULT_RANGE;
  }

  let bucket = BUCKETS.find((b) => b === sp.bucket);
  if (!bucket) {
    bucket = defaultBucket(range);
    if (sp.bucket !== undefined) notes.push(`Unknown bucket "${clip(sp.bucket)}": using ${bucket}s.`);
  }
  const params: SpendParams = { range, from, to, bucket, groupBy: defaultGroup };
  const { from: start, to: end } = resolveRange(params, timeZone, now);
  const span = end.getTime() - start.getTime();
  if (span > MAX_SPAN[bucket]) {
    const finest = BUCKETS.find((b) => span <= MAX_SPAN[b]) ?? "week";
    notes.push(
      `${cap(BUCKET_WORD[bucket])} buckets cover at most ${Math.round(MAX_SPAN[bucket] / DAY)} days: showing ${BUCKET_WORD[finest]} buckets.`,
    );
    params.bucket = finest;
  }

  const groupBy = GROUPS.find((g) => g === sp.groupBy);
  if (groupBy) params.groupBy = groupBy;
  else if (sp.groupBy !== undefined) notes.push(`Unknown grouping "${clip(sp.groupBy)}": stacking by ${defaultGroup}.`);

  for (const key of ["teamId", "agentId"] as const) {
    const v = sp[key];
    if (!v) continue;
    if (v.length > 100) notes.push(`The ${key === "teamId" ? "team" : "agent"} filter was not a valid id: removed.`);
    else params[key] = v;
  }
  return { params, notes };
}

const clip = (s: string) => (s.length > 24 ? `${s.slice(0, 24)}…` : s);
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/** The finest bucket that can cover these params' range (to grey out the others). */
export function allowedBuckets(p: SpendParams, timeZone = "UTC", now = new Date()): Bucket[] {
  const { from, to } = resolveRange(p, timeZone, now);
  return BUCKETS.filter((b) => to.getTime() - from.getTime() <= MAX_SPAN[b]);
}

export { defaultBucket };

/** The query string the API endpoints take for these params. */
export function apiQuery(p: SpendParams, timeZone = "UTC", now = new Date()): URLSearchParams {
  const { from, to } = resolveRange(p, timeZone, now);
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
