import type { RequestMeta } from "@/lib/domain/actor";

/** Longest client-chosen request id kept; a longer one is cut (it is stored with every audit event). */
export const MAX_REQUEST_ID = 100;

/**
 * The request metadata the audit trail records, from request headers: one helper for API routes and server
 * actions, so neither stores an unbounded client-chosen X-Request-Id or X-Forwarded-For.
 */
export function requestMetaFrom(headers: Headers): { requestId: string; ip: string | null } & RequestMeta {
  const requestId = headers.get("x-request-id")?.slice(0, MAX_REQUEST_ID) || crypto.randomUUID();
  const ip = headers.get("x-forwarded-for")?.split(",")[0]?.trim().slice(0, MAX_REQUEST_ID) || null;
  return { requestId, ip };
}
