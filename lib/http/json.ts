import { NextResponse } from "next/server";

/** Bigints (micro-dollars) as numbers when safe, else strings. */
const bigintsAsNumbers = (_k: string, v: unknown) =>
  typeof v === "bigint"
    ? v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v.toString()
    : v;

/** JSON with bigint (micro-dollars) as numbers when safe, else strings. */
export function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, bigintsAsNumbers));
}

/**
 * A JSON answer (bigints as `toJson` sends them). No cache keeps it (`no-store`, unless the route says otherwise: the
 * configuration's ETag revalidation). One under 1 KiB is also marked `no-transform`: Next gzips every answer for a
 * client that accepts gzip (every `fetch` does), however small, since it drops the length a route declares, and
 * gzipping a 200-byte authorize answer cost the server more CPU than the answer's SQL.
 */
export function jsonResponse(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}) {
  const text = JSON.stringify(data, bigintsAsNumbers);
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  const cacheControl = headers.get("cache-control") ?? "no-store";
  headers.set("cache-control", Buffer.byteLength(text) < 1024 ? `${cacheControl}, no-transform` : cacheControl);
  return new NextResponse(text, { status: init.status ?? 200, headers });
}
