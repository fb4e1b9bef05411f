import { describe, expect, it } from "vitest";
import { PEER_HEADER } from "./client-address";
import { requestMetaFrom } from "./request-meta";

describe("request metadata", () => {
  it("keeps at most 100 characters of a client's request id", () => {
    const meta = requestMetaFrom(new Headers({ "x-request-id": "r".repeat(10_000) }));
    expect(meta.requestId).toHaveLength(100);
  });

  it("makes up an id when none (or an empty one) is sent", () => {
    expect(requestMetaFrom(new Headers()).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestMetaFrom(new Headers({ "x-request-id": "" })).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("records the socket's address, never a client's X-Forwarded-For (without TRUSTED_PROXIES)", () => {
    expect(
      requestMetaFrom(new Headers({ [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": `${"1".repeat(500)}, 10.0.0.1` }))
        .ip,
    ).toBe("203.0.113.9");
    expect(requestMetaFrom(new Headers({ "x-forwarded-for": "198.51.100.7" })).ip).toBeNull();
  });

  it("says when the browser reports another site started the request", () => {
    const site = (v?: string) => requestMetaFrom(new Headers(v ? { "sec-fetch-site": v } : {})).crossSite ?? false;
    expect([site("cross-site"), site("same-site"), site("same-origin"), site("none"), site()]).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
