import { formatDistanceToNowStrict } from "date-fns";

export function ago(d: Date | string | null | undefined): string {
  if (!d) return "never";
  return `${formatDistanceToNowStrict(new Date(d))} ago`;
}

export function dateTime(d: Date | string | null | undefined): string {
  if (!d) return "—";
  return `${new Date(d).toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

/** An instant as wall-clock time in a time zone, e.g. "2026-11-26 00:00 Europe/Paris". */
export function zonedDateTime(d: Date | string, timeZone: string): string {
  const s = new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(d));
  return `${s} ${timeZone}`;
}
