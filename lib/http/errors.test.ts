import { describe, expect, it } from "vitest";
import { type ZodError, z } from "zod";
import { DomainError } from "@/lib/domain/errors";
import { errorResponse } from "./errors";

describe("error responses", () => {
  it("map domain errors to statuses, with Retry-After on 429", async () => {
    const limited = errorResponse(
      new DomainError("rate_limited", "rate_limited", "Too many requests", { retryAfterSeconds: 42 }),
      "req-1",
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("42");
    expect(limited.headers.get("x-request-id")).toBe("req-1");
    expect(await limited.json()).toEqual({
      error: { code: "rate_limited", message: "Too many requests", details: { retryAfterSeconds: 42 } },
    });
    expect(errorResponse(new DomainError("too_large", "payload_too_large", "big"), "r").status).toBe(413);
    expect(errorResponse(new DomainError("forbidden", "forbidden", "no"), "r").status).toBe(403);
    const zod = z.object({ a: z.string() }).safeParse({}).error as ZodError;
    expect(errorResponse(zod, "r").status).toBe(422);
  });
  it("never leaks internals on unexpected errors", async () => {
    const res = errorResponse(new Error("connection string postgres://user:pw@host"), "req-2");
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("postgres://");
  });
});
