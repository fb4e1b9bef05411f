import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isMaskedUrl, maskUrl } from "./mask-url";

describe("maskUrl", () => {
  it("keeps scheme, host and port, and turns path, query and credentials into a fingerprint", () => {
    const slack = "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXSECRET";
    const masked = maskUrl(slack);
    expect(masked).toMatch(/^https:\/\/hooks\.slack\.com\/…#[0-9a-f]{12}$/);
    expect(masked).not.toContain("SECRET");
    // The fingerprint as it has always been made (saved exports and the audit trail compare with it).
    const old = createHmac("sha256", process.env.NEXTAUTH_SECRET ?? "")
      .update(slack)
      .digest("hex")
      .slice(0, 12);
    expect(masked).toBe(`https://hooks.slack.com/…#${old}`);
    // Another URL on the same host reads differently: a change still shows.
    expect(maskUrl(`${slack}2`)).not.toBe(masked);
    expect(maskUrl("https://mcp.example.com:8443/mcp?api_key=abc")).toMatch(/^https:\/\/mcp\.example\.com:8443\/…#/);
    expect(maskUrl("https://user:pass@hooks.example.com/")).not.toContain("pass");
    expect(maskUrl("https://hooks.example.com/")).toBe("https://hooks.example.com");
    expect(maskUrl("tcp://siem.example.com:6514")).toBe("tcp://siem.example.com:6514");
    expect(maskUrl("not a url")).toBe("(not a URL)");
    // What it makes is recognised (an auditor's export given back), whether or not the … was percent-encoded.
    expect(isMaskedUrl(masked)).toBe(true);
    expect(isMaskedUrl(new URL(masked).href)).toBe(true);
    expect(isMaskedUrl(slack)).toBe(false);
  });
});
