import { formatDistanceToNowStrict } from "date-fns";

/*
 * The console's one money format and one date format. Money: dollars and cents ("$15.00"); a non-zero amount under a
 * cent shows as such ("$0.004", "<$0.001"), never as "$0.00"; the exact value goes in a `title` (moneyTitle).
 * Dates: year, 24-hour time and the zone, in the organisation's time zone ("2026-12-01 19:22 UTC").
 */

const cents = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const exact = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 6,
});

/** Micro-dollars (integer) to a USD number. */
const fromMicros = (micros: bigint | number) => Number(micros) / 1e6;

/** A USD amount: "$15.00", "$1,234.56", "-$2.50"; under a cent, two significant digits ("$0.004", "$0.0045", "<$0.0001"). */
export function money(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return "—";
  const abs = Math.abs(usd);
  if (abs === 0 || abs >= 0.01) return cents.format(usd);
  const sign = usd < 0 ? "-" : "";
  if (abs < 0.0001) return `${sign}<$0.0001`;
  return `${sign}$${Number(abs.toPrecision(2))}`;
}

const compact = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  notation: "compact",
  minimumFractionDigits: 0,
  maximumFractionDigits: 1,
});

/**
 * A chart axis's tick: short, as the exact amounts are in the tooltip. Whole dollars without ".00" ("$40",
 * "$1,500", "$2.50"), and from $10,000 compact ("$15K", "$1.2M").
 */
export function moneyTick(usd: number): string {
  if (Math.abs(usd) >= 10_000) return compact.format(usd);
  return money(usd).replace(/\.00$/, "");
}

/** The exact amount, for a hover title: "$0.1187", "$0.000042", "$15.00". */
export function moneyExact(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return "";
  return exact.format(usd);
}

/** money() for integer micro-dollars (the database's unit). */
export function usd(micros: bigint | number | null | undefined): string {
  return micros === null || micros === undefined ? "—" : money(fromMicros(micros));
}

/** moneyExact() for integer micro-dollars. */
export function usdExact(micros: bigint | number | null | undefined): string {
  return micros === null || micros === undefined ? "" : moneyExact(fromMicros(micros));
}

/**
 * A share of a limit spent, never rounded up (99.96 % is not "100.0 %", which would read as reached): one decimal
 * below 100 %, whole from there ("214 %").
 */
export function percentUsed(p: number): string {
  return `${p >= 100 ? Math.floor(p).toLocaleString("en-US") : (Math.floor(p * 10 + 1e-9) / 10).toFixed(1)} %`;
}

/**
 * "1 ticket", "3 tickets", "2 fixes", "4 replies": a count with an outcome's unit (a singular word an admin chose),
 * made plural by English's regular rules on its last word ("code reviews"; not the irregular ones); a unit not ending in a
 * lowercase letter takes an "s" ("PRs"), unless it ends in S.
 */
export function countOf(n: number, unit: string): string {
  const text = n.toLocaleString("en-US");
  if (n === 1) return `${text} ${unit}`;
  if (!/[a-z]$/.test(unit)) return `${text} ${unit}${/S$/.test(unit) ? "" : "s"}`;
  if (/(s|x|z|ch|sh)$/.test(unit)) return `${text} ${unit}es`;
  if (/[^aeiou]y$/.test(unit)) return `${text} ${unit.slice(0, -1)}ies`;
  return `${text} ${unit}s`;
}

export function ago(d: Date | string | null | undefined): string {
  if (!d) return "never";
  return `${formatDistanceToNowStrict(new Date(d))} ago`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function partsIn(d: Date, timeZone: string) {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    dateFormats.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return { y: p.year, m: p.month, d: p.day, h: p.hour, min: p.minute };
}

/** An instant in the organisation's time zone: "2026-12-01 19:22 UTC", "2026-12-01 20:22 Europe/Paris". */
export function dateTime(d: Date | string | null | undefined, timeZone = "UTC"): string {
  if (!d) return "—";
  const x = new Date(d);
  if (Number.isNaN(x.getTime())) return "—";
  const p = partsIn(x, timeZone);
  return `${p.y}-${p.m}-${p.d} ${p.h}:${p.min} ${timeZone}`;
}

/** A calendar day in a time zone: "2026-12-01". */
export function dateOnly(d: Date | string, timeZone = "UTC"): string {
  const p = partsIn(new Date(d), timeZone);
  return `${p.y}-${p.m}-${p.d}`;
}

/**
 * Chart axis ticks (the zone is named once in the chart's description): "12-01 19:00" for hours, "2026-12-01" for
 * days, "wk 2026-11-30" for weeks.
 */
export function chartTick(d: Date | string, unit: "hour" | "day" | "week", timeZone = "UTC"): string {
  const p = partsIn(new Date(d), timeZone);
  if (unit === "hour") return `${p.m}-${p.d} ${p.h}:${p.min}`;
  return `${unit === "week" ? "wk " : ""}${p.y}-${p.m}-${p.d}`;
}
