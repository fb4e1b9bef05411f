import type { UsageEventInput } from "../usage/schemas";
import type { FlatSpan } from "./spans";

/**
 * OpenTelemetry GenAI semantic conventions → usage events.
 * - A span is GenAI when it carries `gen_ai.operation.name` or any `gen_ai.*` attribute; others are ignored.
 * - Model calls (chat, text_completion, embeddings, generate_content…): model from `gen_ai.response.model`, else
 *   `gen_ai.request.model`; tokens from `gen_ai.usage.input_tokens` / `output_tokens`; cached input from
 *   `gen_ai.usage.cache_read.input_tokens` (or the older `gen_ai.usage.cached_input_tokens`); provider from
 *   `gen_ai.provider.name` (or the older `gen_ai.system`).
 * - Tool calls (`execute_tool`): a zero-cost event carrying `gen_ai.tool.name`, so tools show in spend by tool.
 * - Id: `otel:<trace id>:<span id>`, so exporting the same span twice counts once. Time: the span's end;
 *   latency: end − start; status `error` when the span status is ERROR. `acp.decision_id` settles a reservation.
 */
export type SpanVerdict = { kind: "event"; event: UsageEventInput } | { kind: "ignored" } | { kind: "rejected"; reason: string };

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : undefined);
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

export function spanToUsageEvent(span: FlatSpan): SpanVerdict {
  const a = span.attributes;
  const operation = str(a["gen_ai.operation.name"]);
  if (!operation && !Object.keys(a).some((k) => k.startsWith("gen_ai."))) return { kind: "ignored" };
  if (!/^[0-9a-f]{32}$/.test(span.traceId) || /^0+$/.test(span.traceId)) return { kind: "rejected", reason: "invalid trace id" };
  if (!/^[0-9a-f]{16}$/.test(span.spanId) || /^0+$/.test(span.spanId)) return { kind: "rejected", reason: "invalid span id" };
  if (span.endNs <= 0n) return { kind: "rejected", reason: "no end time" };
  const end = new Date(Number(span.endNs / 1_000_000n));
  const latencyMs = span.startNs > 0n && span.endNs >= span.startNs ? Number((span.endNs - span.startNs) / 1_000_000n) : undefined;
  const base = {
    id: `otel:${span.traceId}:${span.spanId}`,
    timestamp: end.toISOString(),
    provider: str(a["gen_ai.provider.name"]) ?? str(a["gen_ai.system"]),
    latencyMs,
    status: span.statusCode === 2 ? ("error" as const) : ("ok" as const),
    decisionId: str(a["acp.decision_id"]),
  };
  if (operation === "execute_tool") {
    const tool = str(a["gen_ai.tool.name"]);
    if (!tool) return { kind: "rejected", reason: "execute_tool span without gen_ai.tool.name" };
    return { kind: "event", event: { ...base, model: str(a["gen_ai.request.model"]) ?? "tool", inputTokens: 0, outputTokens: 0, costUsd: 0, tool } };
  }
  const model = str(a["gen_ai.response.model"]) ?? str(a["gen_ai.request.model"]);
  if (!model) return { kind: "rejected", reason: "GenAI span without gen_ai.request.model" };
  const input = num(a["gen_ai.usage.input_tokens"]) ?? num(a["gen_ai.usage.prompt_tokens"]) ?? 0;
  const output = num(a["gen_ai.usage.output_tokens"]) ?? num(a["gen_ai.usage.completion_tokens"]) ?? 0;
  const cached = num(a["gen_ai.usage.cache_read.input_tokens"]) ?? num(a["gen_ai.usage.cached_input_tokens"]) ?? 0;
  if (![input, output, cached].every((n) => Number.isInteger(n) && n >= 0 && n <= 100_000_000)) return { kind: "rejected", reason: "token counts must be whole numbers ≥ 0" };
  return { kind: "event", event: { ...base, model, inputTokens: input, outputTokens: output, cachedInputTokens: Math.min(cached, input), tool: str(a["gen_ai.tool.name"]) } };
}
