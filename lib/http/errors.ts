import "server-only";
import type { NextResponse } from "next/server";
import { ZodError } from "zod";
import type { ErrorCode } from "@/lib/domain/error-codes";
import { DomainError, type DomainErrorKind, fieldErrorsUnder, uniqueViolation } from "@/lib/domain/errors";
import { log } from "@/lib/log";
import { jsonResponse } from "./json";

const STATUS: Record<DomainErrorKind, number> = {
  validation: 422,
  bad_request: 400,
  too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
};

export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** Field errors keyed by dotted path, e.g. {"config.model": ["choose a model"]}. */
export const zodFieldErrors = (e: ZodError): Record<string, string[]> => fieldErrorsUnder("", e);

/** One table from errors to statuses: bad input 422, unknown errors 500 without leaking internals. */
export function errorResponse(thrown: unknown, requestId: string): NextResponse {
  const headers = { "x-request-id": requestId };
  const unique = uniqueViolation(thrown);
  // Logged: a command that forgot its own check (or an ON CONFLICT) shows here instead of passing as a conflict.
  if (unique)
    log.warn({ requestId, target: (thrown as { meta?: unknown }).meta }, "a unique constraint refused a write");
  const err = unique ?? thrown;
  if (err instanceof ZodError) {
    return jsonResponse(errorBody("validation_failed", "The request is invalid", zodFieldErrors(err)), {
      status: 422,
      headers,
    });
  }
  if (err instanceof DomainError) {
    const retry =
      err.kind === "rate_limited"
        ? (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds
        : undefined;
    return jsonResponse(errorBody(err.code, err.message, err.details), {
      status: STATUS[err.kind],
      headers: retry ? { ...headers, "retry-after": String(retry) } : headers,
    });
  }
  log.error(
    { requestId, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) },
    "unhandled error",
  );
  return jsonResponse(errorBody("internal_error", "Something went wrong on our side", { requestId }), {
    status: 500,
    headers,
  });
}
