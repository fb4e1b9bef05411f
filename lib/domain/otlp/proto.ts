import protobuf from "protobufjs";

/**
 * The subset of opentelemetry-proto (collector/trace/v1 and trace/common/resource v1) this endpoint reads, with the
 * upstream field numbers. Fields not listed (span events, links…) are skipped by the decoder.
 */
const PROTO = `
syntax = "proto3";
package otlp;
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
// The instrumentation scope (field 1) is left out: usage never reads it, and its attributes, uncounted, would all be
// built (a 32 KB gzip of empty attributes inflates to 16 million objects).
message ScopeSpans { repeated Span spans = 2; string schema_url = 3; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; string name = 5; int32 kind = 6;
  fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10;
  Status status = 15; fixed32 flags = 16;
}
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  // array_value = 5, kvlist_value = 6 and bytes_value = 7 are left out: usage reads scalars only, and skipped fields
  // are neither built nor recursed into (an attribute could nest arrays of arrays without end).
  oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; }
}
`;

const root = protobuf.parse(PROTO, { keepCase: false }).root;
export const ExportTraceServiceRequest = root.lookupType("otlp.ExportTraceServiceRequest");
export const ExportTraceServiceResponse = root.lookupType("otlp.ExportTraceServiceResponse");
