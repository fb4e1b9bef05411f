import "server-only";
import type { RequestMeta } from "@/lib/domain/actor";
import { clientAddress } from "./client-address";

/** Longest client-chosen request id kept; a longer one is cut (it is stored with every audit event). */
export const MAX_REQUEST_ID = 100;

/**
 * The request metadata the audit trail records, from request headers: one helper for API routes and server
 * actions, so neither stores an unbounded client-chosen X-Request-Id, nor an address a client forged.
 */
export function requestMetaFrom(headers: Headers): { requestId: string; ip: string | null } & RequestMeta {
  const requestId = headers.get("x-request-id")?.slice(0, MAX_REQUEST_ID) || crypto.randomUUID();
  // The socket's address, or X-Forwarded-For only from TRUSTED_PROXIES (lib/http/client-address.ts).
  const ip = clientAddress(headers)?.slice(0, MAX_REQUEST_ID) ?? null;
  const site = headers.get("sec-fetch-site");
  return { requestId, ip, ...(site && site !== "same-origin" && site !== "none" ? { crossSite: true } : {}) };
}
