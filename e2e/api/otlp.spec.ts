import { SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter as OTLPJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OTLPProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { type APIRequestContext, expect, test } from "@playwright/test";
import { tokenFor, uniqueSlug } from "../fixtures";

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A new agent in Engineering (not Customer Support, whose agents the role specs count) and a key for it. */
async function agentWithKey(request: APIRequestContext, admin: string, slug: string, name: string) {
  const teamId = (await (await request.get("/api/v1/agents?q=ci-fixer", { headers: bearer(admin) })).json()).items[0]
    .teamId;
  const agent = await (
    await request.post("/api/v1/agents", {
      headers: bearer(admin),
      data: { slug: uniqueSlug(slug), name, teamId, environment: "dev", config: { model: "gpt-5" } },
    })
  ).json();
  const created = await request.post(`/api/v1/agents/${agent.id}/keys`, {
    headers: bearer(admin),
    data: { name: "otel" },
  });
  return { agent, key: (await created.json()).token as string };
}

/** The agent's spend over the last day (and the next hour), grouped. */
async function lastDaySpend(request: APIRequestContext, admin: string, agentId: string, groupBy: "tool" | "model") {
  const to = new Date(Date.now() + 3_600_000).toISOString();
  const from = new Date(Date.now() - 24 * 3_600_000).toISOString();
  const url = `/api/v1/spend?from=${from}&to=${to}&bucket=day&groupBy=${groupBy}&agentId=${agentId}`;
  return (await request.get(url, { headers: bearer(admin) })).json();
}

function exportOnce(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(spans, (r) => (r.code === 0 ? resolve() : reject(r.error ?? new Error("export failed")))),
  );
}

test("GenAI spans exported with the official OpenTelemetry exporters become usage and cost, once even when exported twice", async ({
  request,
  browser,
  baseURL,
}) => {
  const admin = await tokenFor(browser, "admin");
  const { agent, key } = await agentWithKey(request, admin, "otel", "OTel agent");

  // An instrumented agent: a chat span and a tool span per the GenAI conventions, a plain HTTP span, a broken one.
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "otel-agent", "gen_ai.provider.name": "openai" }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("e2e");
  const chat = tracer.startSpan("chat gpt-5", {
    attributes: {
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-5",
      "gen_ai.usage.input_tokens": 100_000,
      "gen_ai.usage.output_tokens": 10_000,
      "gen_ai.usage.cache_read.input_tokens": 20_000,
    },
  });
  chat.end();
  const tool = tracer.startSpan("execute_tool github.search", {
    attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "github.search" },
  });
  tool.setStatus({ code: SpanStatusCode.ERROR });
  tool.end();
  tracer.startSpan("GET /repos", { attributes: { "http.request.method": "GET" } }).end();
  tracer.startSpan("chat ???", { attributes: { "gen_ai.operation.name": "chat" } }).end();
  const spans = memory.getFinishedSpans();
  expect(spans).toHaveLength(4);

  const url = `${baseURL}/api/v1/otlp/v1/traces`;
  const proto = new OTLPProtoExporter({ url, headers: bearer(key) });
  await exportOnce(proto, spans);
  await exportOnce(proto, spans); // a retried export: nothing counts twice
  const json = new OTLPJsonExporter({ url, headers: bearer(key), compression: "gzip" as never });
  await exportOnce(json, spans);
  await Promise.all([proto.shutdown(), json.shutdown()]);

  // The receiver answers per the spec: partial success with the rejected count (and ignored spans as a warning).
  const raw = await request.post(url, {
    headers: { ...bearer(key), "content-type": "application/json" },
    data: {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "5b8efff798038103d269b633813fc60c",
                  spanId: "eee19b7ec3c1b174",
                  name: "chat",
                  startTimeUnixNano: "1",
                  endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  attributes: [{ key: "gen_ai.operation.name", value: { stringValue: "chat" } }],
                },
                {
                  traceId: "5b8efff798038103d269b633813fc60c",
                  spanId: "eee19b7ec3c1b175",
                  name: "db",
                  endTimeUnixNano: "1",
                },
              ],
            },
          ],
        },
      ],
    },
  });
  expect(raw.status()).toBe(200);
  expect(await raw.json()).toEqual({
    partialSuccess: {
      rejectedSpans: 1,
      errorMessage:
        "1 span(s) rejected: GenAI span without a model (gen_ai.request.model, gen_ai.response.model or llm.model_name); 1 span(s) without gen_ai attributes ignored",
    },
  });
  expect(
    (await request.post(url, { headers: { ...bearer(key), "content-type": "text/plain" }, data: "x" })).status(),
  ).toBe(415);
  expect(
    (
      await request.post(url, {
        headers: { ...bearer(key), "content-type": "application/x-protobuf" },
        data: Buffer.from([0xff, 0xff, 0xff]),
      })
    ).status(),
  ).toBe(400);
  expect((await request.post(url, { headers: { "content-type": "application/json" }, data: {} })).status()).toBe(401);

  const spend = await lastDaySpend(request, admin, agent.id, "tool");
  expect(spend.totals).toMatchObject({
    calls: 2,
    errors: 1,
    inputTokens: 100_000,
    cachedInputTokens: 20_000,
    outputTokens: 10_000,
    unpricedCalls: 0,
  });
  // gpt-5 at $1.25 / $0.125 cached / $10 per million tokens: 80k × 1.25 + 20k × 0.125 + 10k × 10 = $0.2025.
  expect(spend.totals.costUsd).toBeCloseTo(0.2025, 6);
  expect(spend.series.map((s: { label: string }) => s.label).sort()).toEqual(["(no tool)", "github.search"]);
});

test("spans as OpenLLMetry and OpenInference send them are priced; far-dated spans are rejected in partialSuccess", async ({
  request,
  browser,
  baseURL,
}) => {
  const admin = await tokenFor(browser, "admin");
  const { agent, key } = await agentWithKey(request, admin, "otel-names", "OTel names agent");

  const memory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer("e2e");
  // OpenLLMetry (Anthropic): capitalised gen_ai.system, deprecated token names, cache_read_input_tokens.
  tracer
    .startSpan("anthropic.chat", {
      attributes: {
        "gen_ai.system": "Anthropic",
        "gen_ai.request.model": "claude-sonnet-4-5",
        "gen_ai.usage.prompt_tokens": 100_000,
        "gen_ai.usage.completion_tokens": 10_000,
        "gen_ai.usage.cache_read_input_tokens": 80_000,
      },
    })
    .end();
  // OpenInference (Arize): llm.* names.
  tracer
    .startSpan("ChatCompletion", {
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.model_name": "gpt-5",
        "llm.system": "OpenAI",
        "llm.token_count.prompt": 100_000,
        "llm.token_count.completion": 10_000,
        "llm.token_count.prompt_details.cache_read": 20_000,
      },
    })
    .end();
  await exportOnce(
    new OTLPProtoExporter({ url: `${baseURL}/api/v1/otlp/v1/traces`, headers: bearer(key) }),
    memory.getFinishedSpans(),
  );

  const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
  const far = (spanId: string, endMs: number) => ({
    traceId: "6c8efff798038103d269b633813fc60c",
    spanId,
    name: "chat",
    startTimeUnixNano: ns(endMs - 1000),
    endTimeUnixNano: ns(endMs),
    attributes: [
      { key: "gen_ai.request.model", value: { stringValue: "gpt-5" } },
      { key: "gen_ai.usage.input_tokens", value: { intValue: "1000000" } },
    ],
  });
  const raw = await request.post(`${baseURL}/api/v1/otlp/v1/traces`, {
    headers: { ...bearer(key), "content-type": "application/json" },
    data: {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                far("aaa19b7ec3c1b174", Date.now() + 86_400_000),
                far("aaa19b7ec3c1b175", Date.now() - 30 * 86_400_000),
              ],
            },
          ],
        },
      ],
    },
  });
  expect(raw.status()).toBe(200);
  const partial = (await raw.json()).partialSuccess;
  expect(partial.rejectedSpans).toBe(2);
  expect(partial.errorMessage).toContain("span end time is more than 5 minutes in the future");
  expect(partial.errorMessage).toContain("span end time is older than the late-arrival window");

  const spend = await lastDaySpend(request, admin, agent.id, "model");
  expect(spend.totals).toMatchObject({
    calls: 2,
    unpricedCalls: 0,
    inputTokens: 200_000,
    cachedInputTokens: 100_000,
    outputTokens: 20_000,
  });
  // claude-sonnet-4-5 ($3 / $0.30 cached / $15): 20k × 3 + 80k × 0.3 + 10k × 15 = $0.234; gpt-5 as above: $0.2025.
  expect(spend.totals.costUsd).toBeCloseTo(0.4365, 6);
});
