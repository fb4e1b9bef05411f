import { afterEach, describe, expect, it } from "vitest";
import { isPrivateAddress, post, privateUrlReason, sendRefusal } from "./outbound";

describe("webhook SSRF guard", () => {
  afterEach(() => {
    delete process.env.WEBHOOK_ALLOW_PRIVATE;
  });

  it("classifies loopback, private, link-local, shared, reserved and multicast addresses", () => {
    for (const a of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "ff02::1",
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
      expect(isPrivateAddress(a), a).toBe(false);
    expect(isPrivateAddress("not-an-address")).toBe(true);
  });

  it("refuses private IPv4 carried inside IPv6 (compatible, mapped, 6to4, NAT64, Teredo) and anything not global unicast", () => {
    for (const a of [
      "::7f00:1",
      "::127.0.0.1",
      "::a00:1", // IPv4-compatible (deprecated)
      "::ffff:7f00:1",
      "::ffff:169.254.169.254", // IPv4-mapped, hex and dotted
      "2002:7f00:1::",
      "2002:a9fe:a9fe::1",
      "2002:c0a8:101::1", // 6to4 embedding loopback, metadata, private
      "64:ff9b::7f00:1",
      "64:ff9b::a9fe:a9fe",
      "64:ff9b:1::a00:1", // NAT64 (well-known and local-use prefixes)
      "2001:0:4136:e378:8000:63bf:80ff:fffe", // Teredo
      "2001:db8::1",
      "fec0::1",
      "100::1",
      "::ffff:0:7f00:1",
      "5f00::1",
      "4000::1",
      "fe80::1%eth0",
      "0.0.0.1",
      "192.0.0.8",
      "198.18.0.1",
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["2a00:1450:4001:80b::200e", "2001:4860:4860::8888", "::ffff:1.1.1.1", "93.184.216.34"])
      expect(isPrivateAddress(a), a).toBe(false);
  });

  it("refuses a URL whose host is a private address written as IPv6", () => {
    expect(privateUrlReason("http://[::7f00:1]/x")).toMatch(/private or reserved/);
    expect(privateUrlReason("http://[2002:7f00:1::]/x")).toMatch(/private or reserved/);
    expect(privateUrlReason("http://[::ffff:127.0.0.1]:8080/x")).toMatch(/private or reserved/);
  });

  it("refuses URLs naming this machine or a private literal address, unless private targets are allowed", () => {
    expect(privateUrlReason("http://localhost:8080/x")).toMatch(/localhost/);
    expect(privateUrlReason("http://127.0.0.1:9/x")).toMatch(/127\.0\.0\.1/);
    expect(privateUrlReason("http://[::1]/x")).toMatch(/::1/);
    expect(privateUrlReason("http://169.254.169.254/latest/meta-data")).toMatch(/private or reserved/);
    expect(privateUrlReason("https://hooks.example.com/acp")).toBeNull();
    process.env.WEBHOOK_ALLOW_PRIVATE = "1";
    expect(privateUrlReason("http://127.0.0.1:9/x")).toBeNull();
  });

  it("refuses to send in clear text at each send, not only when the receiver is saved (one saved before is not sent to)", async () => {
    // Public literal addresses: refused before any connection is tried.
    await expect(post("http://93.184.216.34/hook", {}, "{}", 1000)).rejects.toThrow(/clear text.*https:\/\//);
    const refusal = (url: string) => sendRefusal(new URL(url))?.message ?? null;
    expect(refusal("tcp://93.184.216.34:514")).toMatch(/clear text.*tls:\/\//);
    expect(refusal("HTTP://example.com/")).toMatch(/clear text/);
    expect(refusal("https://example.com/")).toBeNull();
    expect(refusal("tls://example.com:6514")).toBeNull();
    expect(refusal("https://10.0.0.5/hook")).toMatch(/private or reserved address/);
    process.env.WEBHOOK_ALLOW_PRIVATE = "1"; // internal receivers
    expect(refusal("http://10.0.0.5/hook")).toBeNull();
  });
});
