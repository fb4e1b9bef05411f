/**
 * Budget periods start at local midnight in the organisation's time zone: days at midnight, weeks on Monday,
 * months on the 1st. Instants are UTC `Date`s; only the calendar arithmetic happens in local time.
 */
export type Period = "day" | "week" | "month";

// Making a DateTimeFormat costs far more than using one, and ingestion asks for a period start per event and budget.
const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of `at` in `timeZone`. */
function localParts(at: Date, timeZone: string) {
  const parts = formatFor(timeZone).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { y: get("year"), m: get("month") - 1, d: get("day"), h: get("hour"), min: get("minute"), s: get("second") };
}

/** Local time minus UTC, in ms, at instant `t`. */
function offsetAt(t: number, timeZone: string): number {
  const p = localParts(new Date(t), timeZone);
  return Date.UTC(p.y, p.m, p.d, p.h, p.min, p.s) - Math.floor(t / 1000) * 1000;
}

/**
 * The first instant of the calendar day (y, m, d) in `timeZone` (fields may overflow, as in Date.UTC): local
 * midnight, or, where the clocks jump over midnight (America/Santiago, America/Havana), the instant they jump to.
 */
function localMidnight(y: number, m: number, d: number, timeZone: string): Date {
  const guess = Date.UTC(y, m, d);
  const t1 = guess - offsetAt(guess, timeZone);
  // Near a change of offset the offset at the answer can differ from the offset at the guess: one correction.
  const t2 = guess - offsetAt(t1, timeZone);
  if (t1 === t2) return new Date(t1);
  // Of the two candidates, the earlier one that already lies in the day (the other may be in the day before).
  const day = new Date(Date.UTC(y, m, d)).getTime();
  const inDay = (t: number) => {
    const p = localParts(new Date(t), timeZone);
    return Date.UTC(p.y, p.m, p.d) === day;
  };
  const [early, late] = t1 < t2 ? [t1, t2] : [t2, t1];
  return new Date(inDay(early) ? early : late);
}

function startFields(period: Period, at: Date, timeZone: string) {
  const p = localParts(at, timeZone);
  if (period === "month") return { y: p.y, m: p.m, d: 1 };
  if (period === "day") return { y: p.y, m: p.m, d: p.d };
  const sinceMonday = (new Date(Date.UTC(p.y, p.m, p.d)).getUTCDay() + 6) % 7;
  return { y: p.y, m: p.m, d: p.d - sinceMonday };
}

function computePeriod(period: Period, at: Date, timeZone: string): { start: number; end: number } {
  const f = startFields(period, at, timeZone);
  const start = localMidnight(f.y, f.m, f.d, timeZone).getTime();
  const end =
    period === "month"
      ? localMidnight(f.y, f.m + 1, 1, timeZone).getTime()
      : localMidnight(f.y, f.m, f.d + (period === "day" ? 1 : 7), timeZone).getTime();
  return { start, end };
}

// Ingestion asks for the period of every event under every covering budget, and the Intl calls behind one answer cost
// far more than the rest of pricing an event. A period is an interval, so the last few intervals found per (period,
// zone) answer any instant inside them exactly; only an instant outside them is computed.
const recent = new Map<string, { start: number; end: number }[]>();
const KEEP = 8;
function periodOf(period: Period, at: Date, timeZone: string): { start: number; end: number } {
  const key = `${period}|${timeZone}`;
  const t = at.getTime();
  const list = recent.get(key) ?? [];
  const hit = list.find((p) => t >= p.start && t < p.end);
  if (hit) return hit;
  const found = computePeriod(period, at, timeZone);
  // Only an interval that holds the instant it was computed for is kept (so a cached answer is always exact).
  if (!(t >= found.start && t < found.end)) return found;
  if (list.length === 0) recent.set(key, list);
  list.unshift(found);
  if (list.length > KEEP) list.pop();
  return found;
}

/**
 * The zone budget periods are cut in: an IANA zone, or a change of zone made at `since` (epoch ms) from the cutting
 * before it. A period running at a change runs to its end as cut before (DESIGN: periods that start after a change
 * follow the new zone); the next starts there and, when it does not start on one of the new zone's boundaries, runs
 * on to its second (`join`), and the rest follow the new zone. So a change never moves the period running when it is
 * made (what it spent and holds keeps counting once), and never makes a period shorter than a whole one: a sliver up
 * to the new zone's first boundary (15 minutes from Kathmandu to Kolkata) would have a whole limit of its own, and
 * changes back and forth would make half-days, each with one. Changes stored without `join` (made before it) end at
 * the first boundary, as they were cut when made.
 */
export type PeriodZone = string | { zone: string; since: number; before: PeriodZone; join?: boolean };

/** Where each zone starts cutting, for one period length: ascending, the first from the beginning of time. */
type Segments = { from: number; zone: string; join: boolean }[];
const segmentsOf = new WeakMap<object, Map<Period, Segments>>();

/**
 * A PeriodZone flattened for one period length: each change's zone cuts from the end of the period running at it
 * (as cut before), superseding any later start of the ones before. Worked out once per loaded zone and length (the
 * chain's object is the key), so a lookup walks the changes once, never the chain's branches.
 */
function segments(period: Period, zone: Exclude<PeriodZone, string>): Segments {
  const byPeriod = segmentsOf.get(zone) ?? new Map<Period, Segments>();
  segmentsOf.set(zone, byPeriod);
  let found = byPeriod.get(period);
  if (!found) {
    const before: Segments =
      typeof zone.before === "string"
        ? [{ from: -Infinity, zone: zone.before, join: false }]
        : segments(period, zone.before);
    const cut = inSegments(period, zone.since, before).end;
    found = [...before.filter((s) => s.from < cut), { from: cut, zone: zone.zone, join: zone.join === true }];
    byPeriod.set(period, found);
  }
  return found;
}

/** The period holding `at`: in the zone cutting there, the first from where it starts cutting as PeriodZone says. */
function inSegments(period: Period, at: number, list: Segments): { start: number; end: number } {
  let i = list.length - 1;
  while (i > 0 && list[i].from > at) i--;
  const { from, zone, join } = list[i];
  const p = periodOf(period, new Date(at), zone);
  if (from === -Infinity) return p;
  const first = periodOf(period, new Date(from), zone);
  if (first.start === from) return p;
  const end = join ? periodOf(period, new Date(first.end), zone).end : first.end;
  return at < end ? { start: from, end } : p;
}

function periodIn(period: Period, at: Date, zone: PeriodZone): { start: number; end: number } {
  return typeof zone === "string"
    ? periodOf(period, at, zone)
    : inSegments(period, at.getTime(), segments(period, zone));
}

/** How many changes a cutting holds whose periods still run. */
export const pendingChanges = (zone: PeriodZone): number =>
  typeof zone === "string" ? 0 : 1 + pendingChanges(zone.before);

/**
 * When every period cut otherwise than by the zone's own boundaries (the ones running at its changes, and those after
 * them up to the new zone's boundaries) has ended: from then on the cutting is the zone's own, and `now` if it is
 * already.
 */
export function settledBy(zone: PeriodZone, now: Date): Date {
  if (typeof zone === "string") return now;
  let latest = now.getTime();
  for (const p of ["day", "week", "month"] as const) {
    let t = now.getTime();
    // Each step moves to the end of a period of the chain; a few at most (a change's periods run two periods on).
    for (let step = 0; step < 64; step++) {
      const [cut, own] = [periodIn(p, new Date(t), zone), periodOf(p, new Date(t), zone.zone)];
      if (cut.start === own.start && cut.end === own.end) break;
      t = cut.end;
    }
    latest = Math.max(latest, t);
  }
  return new Date(latest);
}

/**
 * The cutting after a change to `to` at `now`. Changes whose periods have all ended (for every period length) are
 * dropped: from `now` on the periods are the zone's own.
 */
export function changeZone(current: PeriodZone, to: string, now: Date): PeriodZone {
  if (typeof current === "string" || settledBy(current, now).getTime() <= now.getTime()) {
    const from = zoneName(current);
    return from === to ? to : { zone: to, since: now.getTime(), before: from, join: true };
  }
  // The zone it is in already: nothing changes.
  return current.zone === to ? current : { zone: to, since: now.getTime(), before: current, join: true };
}

/** The zone a cutting is in now (the last change's). */
export const zoneName = (zone: PeriodZone): string => (typeof zone === "string" ? zone : zone.zone);

export function periodStart(period: Period, at: Date, timeZone: PeriodZone = "UTC"): Date {
  return new Date(periodIn(period, at, timeZone).start);
}

/** Where the next period starts (the reset time shown next to a budget). */
export function periodEnd(period: Period, at: Date, timeZone: PeriodZone = "UTC"): Date {
  return new Date(periodIn(period, at, timeZone).end);
}

/** The instant local midnight starts a calendar day "YYYY-MM-DD" in `timeZone` (null when it is not a real date). */
export function localDayStart(ymd: string, timeZone = "UTC"): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const check = new Date(Date.UTC(y, mo, d));
  if (y < 1970 || check.getUTCFullYear() !== y || check.getUTCMonth() !== mo || check.getUTCDate() !== d) return null;
  return localMidnight(y, mo, d, timeZone);
}
