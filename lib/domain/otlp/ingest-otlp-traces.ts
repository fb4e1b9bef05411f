import "server-only";
import type { RequestMeta } from "../actor";
import { ingestUsage } from "../usage/ingest-usage";
import { type UsageEventInput, UsageEventSchema } from "../usage/schemas";
import { timestampOutsideWindow } from "../usage/timestamp-window";
import { spanToUsageEvent } from "./genai";
import type { FlatSpan } from "./spans";

export type OtlpResult = {
  accepted: number;
  duplicates: number;
  rejected: number;
  ignored: number;
  alerts: number;
  messages: string[];
};

/**
 * Turns exported spans into usage events through the same ingestion path as POST /runtime/usage (same pricing,
 * rollups, budgets, idempotency). Spans that are not GenAI are ignored and counted; GenAI spans that cannot
 * become a valid usage event, or whose end time is outside the accepted window for usage timestamps, are rejected
 * and counted, with the reasons (partial success, never a 5xx or a whole-batch refusal).
 */
export async function ingestOtlpTraces(
  agentId: string,
  spans: FlatSpan[],
  meta: RequestMeta = {},
  now = new Date(),
): Promise<OtlpResult> {
  const events: UsageEventInput[] = [];
  const reasons = new Map<string, number>();
  const count = (reason: string) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  let ignored = 0;
  for (const span of spans) {
    const v = spanToUsageEvent(span);
    if (v.kind === "ignored") ignored++;
    else if (v.kind === "rejected") count(v.reason);
    else if (JSON.stringify(v.event).includes("\\u0000")) count("NUL character in a value");
    else {
      const ok = UsageEventSchema.safeParse(v.event);
      const outside = ok.success ? timestampOutsideWindow(new Date(ok.data.timestamp), now) : null;
      if (!ok.success) count(`invalid ${ok.error.issues[0]?.path.join(".")}: ${ok.error.issues[0]?.message}`);
      else if (outside) count(`span end time ${outside}`);
      else events.push(v.event);
    }
  }
  // The same span exported twice in one request counts once, like a retried export.
  const unique = [...new Map(events.map((e) => [e.id, e])).values()];
  let accepted = 0;
  let alerts = 0;
  for (let i = 0; i < unique.length; i += 1000) {
    const r = await ingestUsage(agentId, { events: unique.slice(i, i + 1000) }, meta, { now });
    accepted += r.accepted;
    alerts += r.alerts;
  }
  const rejected = [...reasons.values()].reduce((a, b) => a + b, 0);
  const messages = [...reasons.entries()].map(([r, n]) => `${n} span(s) rejected: ${r}`);
  if (ignored) messages.push(`${ignored} span(s) without gen_ai attributes ignored`);
  return { accepted, duplicates: events.length - accepted, rejected, ignored, alerts, messages };
}
