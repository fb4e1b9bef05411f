import { afterEach, describe, expect, it } from "vitest";
import { isPrivateAddress, privateUrlReason } from "./outbound";

describe("webhook SSRF guard", () => {
  afterEach(() => {
    delete process.env.WEBHOOK_ALLOW_PRIVATE;
  });

  it("classifies loopback, private, link-local, shared, reserved and multicast addresses", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "ff02::1"]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) expect(isPrivateAddress(a), a).toBe(false);
    expect(isPrivateAddress("not-an-address")).toBe(true);
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
});
