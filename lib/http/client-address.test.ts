import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { clientAddress, PEER_HEADER, trustedProxies } from "./client-address";

const h = (peer: string | null, xff?: string) =>
  new Headers({ ...(peer ? { [PEER_HEADER]: peer } : {}), ...(xff ? { "x-forwarded-for": xff } : {}) });

describe("clientAddress", () => {
  it("uses the socket peer and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(clientAddress(h("10.1.2.3", "203.0.113.9"), trustedProxies(""))).toBe("10.1.2.3");
    expect(clientAddress(h("::ffff:127.0.0.1", "1.1.1.1"), trustedProxies(""))).toBe("127.0.0.1");
  });

  it("is null without a peer (not served through scripts/serve.mjs), whatever X-Forwarded-For says", () => {
    expect(clientAddress(h(null, "203.0.113.9"), trustedProxies("0.0.0.0/0"))).toBeNull();
  });

  it("walks X-Forwarded-For right to left past trusted proxies", () => {
    const trusted = trustedProxies("10.0.0.0/8, 192.168.1.1");
    // client, forged by the client, then appended by the proxies
    expect(clientAddress(h("10.0.0.5", "6.6.6.6, 198.51.100.7, 192.168.1.1"), trusted)).toBe("198.51.100.7");
    expect(clientAddress(h("10.0.0.5", "198.51.100.7"), trusted)).toBe("198.51.100.7");
    // all hops trusted: the leftmost
    expect(clientAddress(h("10.0.0.5", "10.0.0.9, 10.0.0.8"), trusted)).toBe("10.0.0.9");
    // garbage stops the walk at the last address a trusted proxy vouched for
    expect(clientAddress(h("10.0.0.5", "198.51.100.7, nonsense"), trusted)).toBe("10.0.0.5");
    // an untrusted peer's X-Forwarded-For is ignored
    expect(clientAddress(h("198.51.100.1", "10.0.0.1"), trusted)).toBe("198.51.100.1");
  });

  it("understands IPv6 and ports", () => {
    const trusted = trustedProxies("fd00::/8");
    expect(clientAddress(h("fd00::1", "[2001:db8::1]:443"), trusted)).toBe("2001:db8::1");
    expect(clientAddress(h("fd00::1", "203.0.113.4:5678"), trusted)).toBe("203.0.113.4");
  });

  it("refuses a TRUSTED_PROXIES entry that is not an address or range", () => {
    expect(() => trustedProxies("10.0.0.0/8, proxy.internal")).toThrow(/TRUSTED_PROXIES/);
  });
});

describe("scripts/serve.mjs", () => {
  it("sets the very header this module reads (it is plain JavaScript and keeps its own copy of the name)", () => {
    expect(readFileSync("scripts/serve.mjs", "utf8")).toContain(`const PEER_HEADER = "${PEER_HEADER}";`);
  });
});
