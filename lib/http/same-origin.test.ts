import { afterEach, describe, expect, it } from "vitest";
import { requireSameOriginWrite } from "./same-origin";

const url = "http://127.0.0.1:3000/api/v1/users";
const req = (method: string, headers: Record<string, string>) =>
  new Request(url, { method, headers: { host: "127.0.0.1:3000", ...headers } });
const json = { "content-type": "application/json", "content-length": "2" };
const saved = process.env.NEXTAUTH_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = saved;
});

describe("requireSameOriginWrite", () => {
  it("lets same-origin JSON writes and any read through", () => {
    expect(() =>
      requireSameOriginWrite(
        req("POST", { origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin", ...json }),
        { jsonBody: true },
      ),
    ).not.toThrow();
    expect(() =>
      requireSameOriginWrite(req("GET", { origin: "https://evil.example" }), { jsonBody: true }),
    ).not.toThrow();
    expect(() =>
      requireSameOriginWrite(req("POST", { origin: "http://127.0.0.1:3000" }), { jsonBody: true }),
    ).not.toThrow(); // no body
  });

  it("accepts NEXTAUTH_URL's origin (behind a proxy that rewrites Host)", () => {
    process.env.NEXTAUTH_URL = "https://acp.example.com";
    expect(() =>
      requireSameOriginWrite(req("PATCH", { origin: "https://acp.example.com", ...json }), { jsonBody: true }),
    ).not.toThrow();
  });

  it.each<Record<string, string>>([
    { origin: "https://evil.example" },
    { origin: "null" },
    { origin: "http://127.0.0.1:3000.evil.example" },
    { "sec-fetch-site": "cross-site", origin: "http://127.0.0.1:3000" },
    { "sec-fetch-site": "same-site", origin: "http://127.0.0.1:3000" },
    {},
  ])("refuses a cross-origin write with 403: %j", (headers) => {
    expect(() => requireSameOriginWrite(req("POST", { ...headers, ...json }), { jsonBody: true })).toThrow(
      expect.objectContaining({ kind: "forbidden", code: "cross_origin" }),
    );
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp"])(
    "refuses a %s body with 415",
    (type) => {
      expect(() =>
        requireSameOriginWrite(
          req("POST", { origin: "http://127.0.0.1:3000", "content-type": type, "content-length": "2" }),
          { jsonBody: true },
        ),
      ).toThrow(expect.objectContaining({ kind: "unsupported_media_type" }));
    },
  );
});
