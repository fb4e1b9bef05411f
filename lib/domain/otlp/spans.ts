import protobuf from "protobufjs";
import { findLoneSurrogate, jsonShape, MAX_JSON_DEPTH } from "../text";
import { ExportTraceServiceRequest } from "./proto";

/**
 * At most this many spans in one export, and attributes on one resource or span: OpenTelemetry SDKs export batches
 * of 512 spans and keep 128 attributes by default. A body is judged against them before anything is built from it
 * (a few kilobytes of gzip can inflate to millions of empty spans).
 */
export const MAX_SPANS = 10_000;
export const MAX_ATTRIBUTES = 128;
/** Values in an OTLP/JSON body (commas and openings): 10,000 spans of 60 attributes each fit. */
export const MAX_JSON_ITEMS = 2_000_000;

/** A span reduced to what usage ingestion needs, from either OTLP encoding. */
export type FlatSpan = {
  traceId: string; // 32 hex chars
  spanId: string; // 16 hex chars
  name: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
  statusCode: number; // 0 unset, 1 ok, 2 error
};

type AnyValue = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: unknown;
  kvlistValue?: unknown;
  bytesValue?: unknown;
};
type KeyValue = { key?: string; value?: AnyValue };
type RawSpan = {
  traceId?: unknown;
  spanId?: unknown;
  name?: string;
  startTimeUnixNano?: unknown;
  endTimeUnixNano?: unknown;
  attributes?: KeyValue[];
  status?: { code?: number | string };
};
type RawRequest = {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: RawSpan[] }[] }[];
};

export class OtlpDecodeError extends Error {}

function scalar(v: AnyValue | undefined): string | number | boolean | undefined {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  return undefined; // arrays, maps and bytes are not needed here
}

function attrs(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const kv of list ?? []) {
    const v = scalar(kv.value);
    if (kv.key && v !== undefined) out[kv.key] = v;
  }
  return out;
}

const STATUS_NAMES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

/** Ids: raw bytes (protobuf) or, in OTLP/JSON, hex strings (the spec's exception to proto3 JSON's base64). */
function hexId(v: unknown): string {
  if (v instanceof Uint8Array) return Buffer.from(v).toString("hex");
  if (typeof v === "string") return v.toLowerCase();
  return "";
}

function nanos(v: unknown): bigint {
  // 2^64 has 20 digits: a longer string is not a time, and BigInt of sixteen million digits takes seconds.
  if (typeof v === "string" && v.length > 20)
    throw new OtlpDecodeError("a span time is not an integer number of nanoseconds");
  try {
    return v === undefined || v === null ? 0n : BigInt(String(v));
  } catch {
    throw new OtlpDecodeError("a span time is not an integer number of nanoseconds");
  }
}

const tooManySpans = () =>
  new OtlpDecodeError(`an export may hold at most ${MAX_SPANS} spans (and as many resource and scope records)`);
const tooManyAttributes = () =>
  new OtlpDecodeError(`a resource or span may carry at most ${MAX_ATTRIBUTES} attributes`);

/** Each length-delimited field of a protobuf message as (field number, bytes); other wire types skipped. */
function eachField(buf: Uint8Array, visit: (field: number, value: Uint8Array) => void) {
  const r = protobuf.Reader.create(buf);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if ((tag & 7) === 2) visit(tag >>> 3, r.bytes());
    else r.skipType(tag & 7);
  }
}

/** Counts spans and attributes in the raw protobuf (request → resource_spans → resource / scope_spans → spans). */
function assertProtobufWithinLimits(body: Uint8Array) {
  let spans = 0;
  // Empty resource and scope records are objects too: as many of each as spans at most.
  let resources = 0;
  let scopes = 0;
  const attributes = (msg: Uint8Array, field: number) => {
    let n = 0;
    eachField(msg, (f) => {
      if (f === field && ++n > MAX_ATTRIBUTES) throw tooManyAttributes();
    });
  };
  eachField(body, (f, resourceSpans) => {
    if (f !== 1) return;
    if (++resources > MAX_SPANS) throw tooManySpans();
    eachField(resourceSpans, (g, v) => {
      if (g === 1) attributes(v, 1);
      else if (g === 2) {
        if (++scopes > MAX_SPANS) throw tooManySpans();
        eachField(v, (h, span) => {
          if (h !== 2) return;
          if (++spans > MAX_SPANS) throw tooManySpans();
          attributes(span, 9);
        });
      }
    });
  });
}

/**
 * An OTLP/JSON list: absent is empty; anything but an array of objects (at most `max`) is refused before it is used,
 * as a string would be iterated character by character and a null read as a record.
 */
function records<T>(v: unknown, what: string, max: number, tooMany: () => Error): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpDecodeError(`${what} must be a list`);
  if (v.length > max) throw tooMany();
  if (v.some((x) => x === null || typeof x !== "object" || Array.isArray(x)))
    throw new OtlpDecodeError(`${what} must be a list of objects`);
  return v as T[];
}

type Checked = { resource: KeyValue[]; spans: { span: RawSpan; attributes: KeyValue[] }[] };

function flatten(req: RawRequest): FlatSpan[] {
  if (!req || typeof req !== "object" || Array.isArray(req))
    throw new OtlpDecodeError("not an ExportTraceServiceRequest");
  // The same limits for OTLP/JSON (protobuf was judged before decoding), and every list checked to be one, before
  // any span is built.
  let count = 0;
  let scopes = 0;
  const checked: Checked[] = [];
  for (const rs of records<NonNullable<RawRequest["resourceSpans"]>[number]>(
    req.resourceSpans,
    "resourceSpans",
    MAX_SPANS,
    tooManySpans,
  )) {
    const resource = rs.resource ?? {};
    if (typeof resource !== "object") throw new OtlpDecodeError("a resource must be an object");
    const entry: Checked = {
      resource: records<KeyValue>(resource.attributes, "resource attributes", MAX_ATTRIBUTES, tooManyAttributes),
      spans: [],
    };
    const scopeSpans = records<{ spans?: RawSpan[] }>(rs.scopeSpans, "scopeSpans", MAX_SPANS, tooManySpans);
    scopes += scopeSpans.length;
    if (scopes > MAX_SPANS) throw tooManySpans();
    for (const ss of scopeSpans) {
      const spans = records<RawSpan>(ss.spans, "spans", MAX_SPANS, tooManySpans);
      count += spans.length;
      if (count > MAX_SPANS) throw tooManySpans();
      for (const span of spans)
        entry.spans.push({
          span,
          attributes: records<KeyValue>(span.attributes, "span attributes", MAX_ATTRIBUTES, tooManyAttributes),
        });
    }
    checked.push(entry);
  }
  const out: FlatSpan[] = [];
  for (const { resource: resourceAttributes, spans } of checked) {
    const resource = attrs(resourceAttributes);
    for (const { span: s, attributes } of spans) {
      const status = s.status !== null && typeof s.status === "object" ? s.status : undefined;
      const code = status?.code;
      out.push({
        traceId: hexId(s.traceId),
        spanId: hexId(s.spanId),
        name: String(s.name ?? ""),
        startNs: nanos(s.startTimeUnixNano),
        endNs: nanos(s.endTimeUnixNano),
        // Span attributes win over resource attributes of the same name.
        attributes: { ...resource, ...attrs(attributes) },
        statusCode: typeof code === "string" ? (STATUS_NAMES[code] ?? 0) : Number(code ?? 0),
      });
    }
  }
  return out;
}

/** Decodes an OTLP/HTTP traces body: `application/x-protobuf` or `application/json`. */
export function decodeTraces(body: Uint8Array, contentType: string): FlatSpan[] {
  const spans = decodeSpans(body, contentType);
  // Lone surrogates (a JSON escape, or protobuf's lenient UTF-8 decoding) are not text: refused, not stored as U+FFFD.
  const at = findLoneSurrogate(spans);
  if (at) throw new OtlpDecodeError(`a span field (${at}) contains an unpaired UTF-16 surrogate`);
  return spans;
}

function decodeSpans(body: Uint8Array, contentType: string): FlatSpan[] {
  if (contentType.startsWith("application/x-protobuf")) {
    let msg: ReturnType<typeof ExportTraceServiceRequest.decode>;
    try {
      assertProtobufWithinLimits(body);
      msg = ExportTraceServiceRequest.decode(body);
    } catch (err) {
      if (err instanceof OtlpDecodeError) throw err;
      throw new OtlpDecodeError(`the protobuf body could not be decoded: ${(err as Error).message}`);
    }
    return flatten(ExportTraceServiceRequest.toObject(msg, { longs: String, defaults: false }) as RawRequest);
  }
  let json: unknown;
  const text = Buffer.from(body).toString("utf8");
  // Before it is parsed: nesting, and width (a 32 MiB body of `{},` would be eleven million objects in memory).
  const shape = jsonShape(text, { depth: MAX_JSON_DEPTH, items: MAX_JSON_ITEMS });
  if (shape.depth > MAX_JSON_DEPTH)
    throw new OtlpDecodeError(`the JSON body nests more than ${MAX_JSON_DEPTH} levels deep`);
  if (shape.items > MAX_JSON_ITEMS) throw new OtlpDecodeError(`the JSON body holds more than ${MAX_JSON_ITEMS} values`);
  try {
    json = JSON.parse(text);
  } catch {
    throw new OtlpDecodeError("the JSON body could not be parsed");
  }
  if (findLoneSurrogate(json)) throw new OtlpDecodeError("the JSON body contains an unpaired UTF-16 surrogate");
  return flatten(json as RawRequest);
}
