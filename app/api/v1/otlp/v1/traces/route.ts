import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { DomainError } from "@/lib/domain/errors";
import { ingestOtlpTraces } from "@/lib/domain/otlp/ingest-otlp-traces";
import { ExportTraceServiceResponse } from "@/lib/domain/otlp/proto";
import { decodeTraces, OtlpDecodeError } from "@/lib/domain/otlp/spans";
import { kickWebhookDispatch } from "@/lib/domain/webhooks/deliver-webhooks";
import { readBodyLimited } from "@/lib/http/body";
import { agentRoute, reply } from "@/lib/http/route";

/** Compressed and decompressed body limits (OTLP exporters batch 512 spans by default: far below). */
const MAX_BODY = 8 * 1024 * 1024;
const MAX_INFLATED = 32 * 1024 * 1024;

/** ExportTraceServiceResponse in OTLP/JSON. */
const ExportTraceServiceResponseSchema = z.object({
  partialSuccess: z.object({ rejectedSpans: z.number().int(), errorMessage: z.string() }).optional(),
});

/**
 * OTLP/HTTP traces receiver (POST /api/v1/otlp/v1/traces): protobuf or JSON, optionally gzip, authenticated
 * with an agent key. Answers ExportTraceServiceResponse in the request's encoding: partial success carries the
 * rejected span count and, as a warning, how many non-GenAI spans were ignored.
 */
export const POST = agentRoute(
  {
    tags: ["runtime"],
    summary:
      "OTLP/HTTP traces (application/x-protobuf or application/json, gzip accepted): GenAI spans become usage events",
    description:
      "Answers ExportTraceServiceResponse with partial success; x-acp-accepted, x-acp-duplicates and x-acp-ignored count the spans.",
    response: {
      description: "ExportTraceServiceResponse in the request's encoding",
      content: {
        "application/json": ExportTraceServiceResponseSchema,
        "application/x-protobuf": z.string().meta({ format: "binary" }),
      },
    },
    errors: [400, 413, 415, 422],
    rawBody: true,
  },
  async ({ agent, req, meta }) => {
    const contentType = (req.headers.get("content-type") ?? "").toLowerCase();
    const protobuf = contentType.startsWith("application/x-protobuf");
    if (!protobuf && !contentType.startsWith("application/json")) {
      throw new DomainError(
        "unsupported_media_type",
        "unsupported_media_type",
        "Send application/x-protobuf or application/json (OTLP/HTTP)",
      );
    }
    let body = await readBodyLimited(
      req,
      MAX_BODY,
      () => new DomainError("too_large", "payload_too_large", `The body is over ${MAX_BODY} bytes`),
    );
    const encoding = (req.headers.get("content-encoding") ?? "").toLowerCase();
    if (encoding === "gzip") {
      try {
        body = new Uint8Array(gunzipSync(body, { maxOutputLength: MAX_INFLATED }));
      } catch {
        throw new DomainError(
          "bad_request",
          "invalid_gzip",
          "The gzip body could not be inflated (corrupt, or over 32 MiB inflated)",
        );
      }
    } else if (encoding && encoding !== "identity") {
      throw new DomainError(
        "unsupported_media_type",
        "unsupported_encoding",
        "Content-Encoding must be gzip or identity",
      );
    }
    let spans: ReturnType<typeof decodeTraces>;
    try {
      spans = decodeTraces(body, contentType);
    } catch (err) {
      if (err instanceof OtlpDecodeError) throw new DomainError("bad_request", "invalid_otlp", err.message);
      throw err;
    }
    const result = await ingestOtlpTraces(agent.id, spans, meta);
    if (result.alerts > 0) kickWebhookDispatch();
    const partial =
      result.rejected || result.messages.length
        ? { rejectedSpans: result.rejected, errorMessage: result.messages.join("; ") }
        : undefined;
    const headers = {
      "x-acp-accepted": String(result.accepted),
      "x-acp-duplicates": String(result.duplicates),
      "x-acp-ignored": String(result.ignored),
    };
    if (protobuf) {
      const bytes = ExportTraceServiceResponse.encode(
        ExportTraceServiceResponse.fromObject(partial ? { partialSuccess: partial } : {}),
      ).finish();
      return new Response(bytes as BodyInit, {
        status: 200,
        headers: { ...headers, "content-type": "application/x-protobuf" },
      });
    }
    return reply(200, partial ? { partialSuccess: partial } : {}, headers);
  },
);
