import { canonicalProvider } from "../pricing/providers";
import type { UsageEventInput } from "../usage/schemas";
import type { FlatSpan } from "./spans";

/**
 * OpenTelemetry GenAI spans → usage events, from the attribute names instrumentations actually send: the GenAI
 * semantic conventions, their deprecated names (OpenLLMetry still sends several) and OpenInference's `llm.*`.
 * - A span is GenAI when it carries `gen_ai.operation.name`, any `gen_ai.*` or `llm.*` attribute, or an
 *   OpenInference span kind LLM, EMBEDDING or TOOL; others are ignored (counted as a warning).
 * - Model calls: model from the first of MODEL; tokens from INPUT / OUTPUT; cached input from CACHED (the part of
 *   input read from cache, priced at the cached rate); provider from PROVIDER, normalised (canonicalProvider).
 * - Tool calls (`execute_tool`, or an OpenInference TOOL span): a zero-cost event carrying the tool name.
 * - Id: `otel:<trace id>:<span id>`, so exporting the same span twice counts once. Time: the span's end;
 *   latency: end − start; status `error` when the span status is ERROR. `acp.decision_id` settles a reservation;
 *   `gen_ai.agent.version` (or `acp.agent.version`), a whole version number such as 3 or "v3", names the version it ran on;
 *   `acp.task_id` (else `gen_ai.conversation.id`) names the task it worked on, so outcomes of that task are priced.
 * A GenAI span that cannot be counted is rejected with the reason, never silently dropped or priced wrongly.
 */
export type SpanVerdict =
  | { kind: "event"; event: UsageEventInput }
  | { kind: "ignored" }
  | { kind: "rejected"; reason: string };

/** Accepted attribute names, first present wins (README lists them). */
export const ATTRIBUTES = {
  model: ["gen_ai.response.model", "gen_ai.request.model", "llm.model_name", "embedding.model_name"],
  input: ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"],
  output: ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"],
  cached: [
    "gen_ai.usage.cache_read.input_tokens",
    "gen_ai.usage.cache_read_input_tokens",
    "gen_ai.usage.cached_input_tokens",
    "llm.token_count.prompt_details.cache_read",
  ],
  provider: ["gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"],
  tool: ["gen_ai.tool.name", "tool.name"],
  // The task the call worked on (cost per outcome): ours, else the conversation it belongs to.
  task: ["acp.task_id", "gen_ai.conversation.id"],
} as const;

/** A task id as usage takes it (at most 200 characters; a longer one is not ours, so left out). */
const taskOf = (v: string | undefined) => (v && v.length <= 200 ? v : undefined);

/** A version number from a span attribute: 3, "3" or "v3" (anything else is not one of ours, so left out). */
function versionOf(v: unknown): number | undefined {
  const n =
    typeof v === "number" ? v : typeof v === "string" && /^v?\d+$/i.test(v) ? Number(v.replace(/^v/i, "")) : Number.NaN;
  return Number.isInteger(n) && n > 0 && n <= 1_000_000 ? n : undefined;
}

const OPENINFERENCE_COUNTED = new Set(["LLM", "EMBEDDING", "TOOL"]);

const num = (v: unknown) =>
  typeof v === "number" && Number.isFinite(v)
    ? v
    : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);

type Attrs = FlatSpan["attributes"];
const firstStr = (a: Attrs, names: readonly string[]) => names.map((n) => str(a[n])).find((v) => v !== undefined);
/** The first attribute present: a present but malformed value is an error, not a reason to look further. */
function firstCount(a: Attrs, names: readonly string[]): { value: number } | { bad: string } | undefined {
  for (const n of names) {
    if (a[n] === undefined) continue;
    const v = num(a[n]);
    if (v === undefined || !Number.isInteger(v) || v < 0 || v > 100_000_000) return { bad: n };
    return { value: v };
  }
  return undefined;
}

export function spanToUsageEvent(span: FlatSpan): SpanVerdict {
  const a = span.attributes;
  const operation = str(a["gen_ai.operation.name"]);
  // An MCP client's tools/call span (the GenAI conventions' MCP section) is a tool call too.
  const mcpToolCall = str(a["mcp.method.name"]) === "tools/call";
  const oiKind = str(a["openinference.span.kind"])?.toUpperCase();
  const keys = Object.keys(a);
  const genAi =
    operation ||
    mcpToolCall ||
    keys.some((k) => k.startsWith("gen_ai.") || k.startsWith("llm.")) ||
    (oiKind !== undefined && OPENINFERENCE_COUNTED.has(oiKind));
  if (!genAi) return { kind: "ignored" };
  if (!/^[0-9a-f]{32}$/.test(span.traceId) || /^0+$/.test(span.traceId))
    return { kind: "rejected", reason: "invalid trace id" };
  if (!/^[0-9a-f]{16}$/.test(span.spanId) || /^0+$/.test(span.spanId))
    return { kind: "rejected", reason: "invalid span id" };
  if (span.endNs <= 0n) return { kind: "rejected", reason: "no end time" };
  const end = new Date(Number(span.endNs / 1_000_000n));
  if (Number.isNaN(end.getTime())) return { kind: "rejected", reason: "end time out of range" };
  const latencyMs =
    span.startNs > 0n && span.endNs >= span.startNs ? Number((span.endNs - span.startNs) / 1_000_000n) : undefined;
  const provider = firstStr(a, ATTRIBUTES.provider);
  const base = {
    id: `otel:${span.traceId}:${span.spanId}`,
    timestamp: end.toISOString(),
    provider: provider === undefined ? undefined : canonicalProvider(provider),
    latencyMs,
    status: span.statusCode === 2 ? ("error" as const) : ("ok" as const),
    decisionId: str(a["acp.decision_id"]),
    version: versionOf(a["gen_ai.agent.version"] ?? a["acp.agent.version"]),
    taskId: taskOf(firstStr(a, ATTRIBUTES.task)),
  };
  if (operation === "execute_tool" || oiKind === "TOOL" || mcpToolCall) {
    const tool = firstStr(a, ATTRIBUTES.tool);
    if (!tool) return { kind: "rejected", reason: "tool span without gen_ai.tool.name or tool.name" };
    return {
      kind: "event",
      event: {
        ...base,
        model: firstStr(a, ATTRIBUTES.model) ?? "tool",
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        tool,
      },
    };
  }
  const model = firstStr(a, ATTRIBUTES.model);
  if (!model)
    return {
      kind: "rejected",
      reason: "GenAI span without a model (gen_ai.request.model, gen_ai.response.model or llm.model_name)",
    };
  const counts = {
    input: firstCount(a, ATTRIBUTES.input),
    output: firstCount(a, ATTRIBUTES.output),
    cached: firstCount(a, ATTRIBUTES.cached),
  };
  for (const c of Object.values(counts))
    if (c && "bad" in c) return { kind: "rejected", reason: `${c.bad} must be a whole number of tokens ≥ 0` };
  const value = (c: (typeof counts)["input"]) => (c && "value" in c ? c.value : 0);
  const [input, output, cached] = [value(counts.input), value(counts.output), value(counts.cached)];
  // Input tokens include the cached ones (the conventions' definition). More cached than input means the
  // instrumentation counted input without the cache: pricing it either way would be a guess.
  if (cached > input)
    return { kind: "rejected", reason: "cached input tokens exceed input tokens (input must include cached tokens)" };
  return {
    kind: "event",
    event: {
      ...base,
      model,
      inputTokens: input,
      outputTokens: output,
      cachedInputTokens: cached,
      tool: str(a["gen_ai.tool.name"]),
    },
  };
}
