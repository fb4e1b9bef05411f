import { describe, expect, it } from "vitest";
import { spanToUsageEvent } from "./genai";
import { ExportTraceServiceRequest } from "./proto";
import type { FlatSpan } from "./spans";
import { decodeTraces, MAX_ATTRIBUTES, MAX_JSON_ITEMS, MAX_SPANS, OtlpDecodeError } from "./spans";

const span = (attributes: FlatSpan["attributes"], extra: Partial<FlatSpan> = {}): FlatSpan => ({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  name: "chat gpt-5",
  startNs: 1_764_000_000_000_000_000n,
  endNs: 1_764_000_001_250_000_000n,
  attributes,
  statusCode: 0,
  ...extra,
});

/** A protobuf varint. */
function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

describe("GenAI spans → usage events", () => {
  it("names the task a call worked on: acp.task_id, else the conversation (too long an id is left out)", () => {
    const model = { "gen_ai.request.model": "gpt-5" };
    const taskOf = (attrs: FlatSpan["attributes"]) => {
      const v = spanToUsageEvent(span({ ...model, ...attrs }));
      return v.kind === "event" ? v.event.taskId : v.kind;
    };
    expect(taskOf({ "acp.task_id": "ticket-42", "gen_ai.conversation.id": "conv-1" })).toBe("ticket-42");
    expect(taskOf({ "gen_ai.conversation.id": " conv-1 " })).toBe("conv-1");
    expect(taskOf({ "gen_ai.conversation.id": "x".repeat(201) })).toBeUndefined();
    expect(taskOf({})).toBeUndefined();
  });
  it("maps a chat span with the semantic-convention attributes", () => {
    const v = spanToUsageEvent(
      span(
        {
          "gen_ai.operation.name": "chat",
          "gen_ai.request.model": "gpt-5",
          "gen_ai.response.model": "gpt-5-2025-08-07",
          "gen_ai.provider.name": "openai",
          "gen_ai.usage.input_tokens": 1200,
          "gen_ai.usage.output_tokens": 300,
          "gen_ai.usage.cache_read.input_tokens": 200,
        },
        { statusCode: 2 },
      ),
    );
    expect(v).toEqual({
      kind: "event",
      event: {
        id: "otel:0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331",
        timestamp: "2025-11-24T16:00:01.250Z",
        model: "gpt-5-2025-08-07",
        provider: "openai",
        inputTokens: 1200,
        outputTokens: 300,
        cachedInputTokens: 200,
        latencyMs: 1250,
        status: "error",
        decisionId: undefined,
        tool: undefined,
      },
    });
  });
  it("maps tool calls to zero-cost events named by the tool, ignores non-GenAI spans, rejects broken ones", () => {
    expect(
      spanToUsageEvent(span({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "github.search" })),
    ).toMatchObject({ kind: "event", event: { tool: "github.search", costUsd: 0, inputTokens: 0 } });
    // An MCP client span (tools/call) with no gen_ai.operation.name is a tool call too, errors included.
    expect(
      spanToUsageEvent({
        ...span({ "mcp.method.name": "tools/call", "gen_ai.tool.name": "delete_ticket" }),
        statusCode: 2,
      }),
    ).toMatchObject({ kind: "event", event: { tool: "delete_ticket", status: "error", costUsd: 0 } });
    expect(spanToUsageEvent(span({ "mcp.method.name": "tools/list" }))).toEqual({ kind: "ignored" });
    expect(spanToUsageEvent(span({ "http.method": "GET", "db.system": "postgresql" }))).toEqual({ kind: "ignored" });
    expect(spanToUsageEvent(span({ "gen_ai.operation.name": "chat" }))).toMatchObject({
      kind: "rejected",
      reason: expect.stringMatching(/^GenAI span without a model/),
    });
    expect(spanToUsageEvent(span({ "gen_ai.request.model": "x", "gen_ai.usage.input_tokens": -1 }))).toMatchObject({
      kind: "rejected",
    });
    expect(
      spanToUsageEvent(span({ "gen_ai.request.model": "x" }, { traceId: "00000000000000000000000000000000" })),
    ).toMatchObject({ kind: "rejected", reason: "invalid trace id" });
  });
  it("maps OpenLLMetry's names: capitalised gen_ai.system, prompt/completion tokens, cache_read_input_tokens", () => {
    const v = spanToUsageEvent(
      span({
        "gen_ai.system": "Anthropic",
        "gen_ai.request.model": "claude-sonnet-4-5",
        "gen_ai.usage.prompt_tokens": 5000,
        "gen_ai.usage.completion_tokens": 200,
        "gen_ai.usage.cache_read_input_tokens": 4000,
      }),
    );
    expect(v).toMatchObject({
      kind: "event",
      event: {
        model: "claude-sonnet-4-5",
        provider: "anthropic",
        inputTokens: 5000,
        outputTokens: 200,
        cachedInputTokens: 4000,
      },
    });
    expect(spanToUsageEvent(span({ "gen_ai.system": "az.ai.openai", "gen_ai.request.model": "gpt-5" }))).toMatchObject({
      event: { provider: "azure.ai.openai" },
    });
    expect(spanToUsageEvent(span({ "gen_ai.provider.name": "OpenAI", "gen_ai.request.model": "gpt-5" }))).toMatchObject(
      { event: { provider: "openai" } },
    );
  });
  it("maps OpenInference LLM and TOOL spans; other OpenInference kinds are ignored", () => {
    const llm = {
      "openinference.span.kind": "LLM",
      "llm.model_name": "gpt-5",
      "llm.provider": "azure",
      "llm.system": "openai",
      "llm.token_count.prompt": 1200,
      "llm.token_count.completion": 300,
      "llm.token_count.prompt_details.cache_read": 1000,
    };
    expect(spanToUsageEvent(span(llm))).toMatchObject({
      kind: "event",
      event: {
        model: "gpt-5",
        provider: "azure.ai.openai",
        inputTokens: 1200,
        outputTokens: 300,
        cachedInputTokens: 1000,
      },
    });
    expect(
      spanToUsageEvent(
        span({ "llm.model_name": "claude-haiku-4-5", "llm.system": "Anthropic", "llm.token_count.prompt": 10 }),
      ),
    ).toMatchObject({ event: { provider: "anthropic", inputTokens: 10, outputTokens: 0 } });
    expect(spanToUsageEvent(span({ "openinference.span.kind": "TOOL", "tool.name": "github.search" }))).toMatchObject({
      kind: "event",
      event: { tool: "github.search", costUsd: 0 },
    });
    expect(spanToUsageEvent(span({ "openinference.span.kind": "CHAIN", "input.value": "hi" }))).toEqual({
      kind: "ignored",
    });
  });
  it("rejects what it cannot count, with the reason, instead of pricing it wrongly", () => {
    expect(
      spanToUsageEvent(
        span({
          "gen_ai.request.model": "x",
          "gen_ai.usage.input_tokens": 100,
          "gen_ai.usage.cache_read_input_tokens": 5000,
        }),
      ),
    ).toMatchObject({ kind: "rejected", reason: expect.stringMatching(/cached input tokens exceed input tokens/) });
    expect(spanToUsageEvent(span({ "llm.model_name": "x", "llm.token_count.prompt": "lots" }))).toMatchObject({
      kind: "rejected",
      reason: "llm.token_count.prompt must be a whole number of tokens ≥ 0",
    });
    expect(spanToUsageEvent(span({ "openinference.span.kind": "LLM", "llm.token_count.prompt": 5 }))).toMatchObject({
      kind: "rejected",
      reason: expect.stringMatching(/llm\.model_name/),
    });
    expect(spanToUsageEvent(span({ "openinference.span.kind": "TOOL" }))).toMatchObject({ kind: "rejected" });
  });
  it("reads OTLP/JSON (hex ids, string nanos, typed values, resource attributes)", () => {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: "gen_ai.provider.name", value: { stringValue: "anthropic" } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "0AF7651916CD43DD8448EB211C80319C",
                  spanId: "B7AD6B7169203331",
                  name: "chat",
                  startTimeUnixNano: "1764000000000000000",
                  endTimeUnixNano: "1764000000500000000",
                  status: { code: 1 },
                  attributes: [
                    { key: "gen_ai.request.model", value: { stringValue: "claude-sonnet-4-5" } },
                    { key: "gen_ai.usage.input_tokens", value: { intValue: "42" } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const [s] = decodeTraces(new TextEncoder().encode(JSON.stringify(body)), "application/json");
    expect(s).toMatchObject({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      endNs: 1764000000500000000n,
      statusCode: 1,
      attributes: { "gen_ai.provider.name": "anthropic", "gen_ai.usage.input_tokens": 42 },
    });
    expect(() => decodeTraces(new TextEncoder().encode("{nope"), "application/json")).toThrow(/could not be parsed/);
    expect(() => decodeTraces(new Uint8Array([0xff, 0xff, 0xff]), "application/x-protobuf")).toThrow(
      /could not be decoded/,
    );
  });

  it("refuses an export over the span or attribute limits before building anything from it, in both encodings", () => {
    const kv = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: { stringValue: "v" } }));
    const request = (spans: number, spanAttributes = 0, resourceAttributes = 0) => ({
      resourceSpans: [
        {
          resource: { attributes: kv(resourceAttributes) },
          scopeSpans: [{ spans: Array.from({ length: spans }, () => ({ name: "s", attributes: kv(spanAttributes) })) }],
        },
      ],
    });
    const both = (body: object) => [
      () => decodeTraces(new TextEncoder().encode(JSON.stringify(body)), "application/json"),
      () =>
        decodeTraces(
          ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(body)).finish(),
          "application/x-protobuf",
        ),
    ];
    for (const decode of both(request(MAX_SPANS))) expect(decode()).toHaveLength(MAX_SPANS);
    for (const decode of both(request(2, MAX_ATTRIBUTES, MAX_ATTRIBUTES))) expect(decode()).toHaveLength(2);
    for (const decode of both(request(MAX_SPANS + 1))) expect(decode).toThrow(/at most 10000 spans/);
    for (const decode of both(request(1, MAX_ATTRIBUTES + 1))) expect(decode).toThrow(/at most 128 attributes/);
    for (const decode of both(request(1, 0, MAX_ATTRIBUTES + 1))) expect(decode).toThrow(/at most 128 attributes/);
    // Empty resource records are objects too.
    const resources = { resourceSpans: Array.from({ length: MAX_SPANS + 1 }, () => ({ scopeSpans: [] })) };
    for (const decode of both(resources)) expect(decode).toThrow(/at most 10000 spans/);
  });

  it("builds nothing it does not count: no instrumentation scope, no JSON wider than its limit, no endless time", () => {
    // A scope of a hundred thousand empty attributes (field 3 of field 1 of a ScopeSpans): skipped, never built.
    const scope = Buffer.concat([
      Buffer.from([0x0a]),
      varint(200_000),
      Buffer.alloc(200_000, Buffer.from([0x1a, 0x00])),
    ]);
    const scopeSpans = Buffer.concat([Buffer.from([0x12]), varint(scope.length), scope]);
    const body = Buffer.concat([Buffer.from([0x0a]), varint(scopeSpans.length), scopeSpans]);
    const decoded = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body)) as {
      resourceSpans: { scopeSpans: object[] }[];
    };
    expect(decoded.resourceSpans[0].scopeSpans[0]).toEqual({});
    expect(decodeTraces(body, "application/x-protobuf")).toEqual([]);
    // OTLP/JSON wider than MAX_JSON_ITEMS values is refused before it is parsed.
    const wide = `{"resourceSpans":[{"x":[${"{},".repeat(MAX_JSON_ITEMS)}{}]}]}`;
    expect(() => decodeTraces(new TextEncoder().encode(wide), "application/json")).toThrow(/more than 2000000 values/);
    // A span time of more digits than 2^64 has is not a time (and BigInt of millions of digits takes seconds).
    const time = (startTimeUnixNano: string) =>
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: "s", startTimeUnixNano }] }] }] });
    expect(() => decodeTraces(new TextEncoder().encode(time("9".repeat(21))), "application/json")).toThrow(
      /not an integer number of nanoseconds/,
    );
    expect(decodeTraces(new TextEncoder().encode(time("1764000000000000000")), "application/json")).toHaveLength(1);
  });

  it("refuses an OTLP/JSON list that is not a list of objects (a string would iterate by character), never a 500", () => {
    const json = (body: unknown) => () =>
      decodeTraces(new TextEncoder().encode(JSON.stringify(body)), "application/json");
    const scope = (spans: unknown) => ({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
    // A string of more characters than spans allowed: each character would have become a span.
    expect(json(scope("x".repeat(MAX_SPANS + 1)))).toThrow(OtlpDecodeError);
    for (const body of [
      scope("abc"),
      scope([null]),
      scope({}),
      scope({ length: 1 }),
      scope([["nested"]]),
      scope([{ name: "s", attributes: { length: 1 } }]),
      scope([{ name: "s", attributes: [null] }]),
      scope([{ name: "s", attributes: "ab" }]),
      { resourceSpans: "abc" },
      { resourceSpans: [null] },
      { resourceSpans: [{ scopeSpans: "abc" }] },
      { resourceSpans: [{ scopeSpans: [null] }] },
      { resourceSpans: [{ resource: "r", scopeSpans: [] }] },
      { resourceSpans: [{ resource: { attributes: "ab" }, scopeSpans: [] }] },
      [],
    ])
      expect(json(body), JSON.stringify(body)).toThrow(OtlpDecodeError);
    // Absent and null lists are empty; a span's odd status is no status.
    expect(json({ resourceSpans: [{ resource: null, scopeSpans: [{ spans: null }] }] })()).toEqual([]);
    expect(json(scope([{ name: "s", status: "ok" }]))()).toMatchObject([{ name: "s", statusCode: 0 }]);
  });
});
