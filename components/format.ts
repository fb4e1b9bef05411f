import { formatDistanceToNowStrict } from "date-fns";

export function ago(d: Date | string | null | undefined): string {
  if (!d) return "never";
  return `${formatDistanceToNowStrict(new Date(d))} ago`;
}

export function dateTime(d: Date | string | null | undefined): string {
  if (!d) return "—";
  return new Date(d).toISOString().replace("T", " ").slice(0, 16) + " UTC";
}
