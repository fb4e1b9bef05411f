import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "./signature";

describe("webhook signatures", () => {
  const at = new Date("2026-11-25T12:00:00Z");
  const body = JSON.stringify({ type: "budget.threshold_crossed", data: { threshold: 80 } });
  it("verifies what it signs, within the tolerance", () => {
    const header = signWebhook("s3cret", body, at);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature("s3cret", header, body, new Date(at.getTime() + 60_000))).toEqual({ ok: true });
  });
  it("rejects another secret, a changed body, an old timestamp and junk", () => {
    const header = signWebhook("s3cret", body, at);
    expect(verifyWebhookSignature("other", header, body, at)).toMatchObject({
      ok: false,
      reason: "signature mismatch",
    });
    expect(verifyWebhookSignature("s3cret", header, `${body} `, at)).toMatchObject({ ok: false });
    expect(verifyWebhookSignature("s3cret", header, body, new Date(at.getTime() + 10 * 60_000))).toMatchObject({
      ok: false,
      reason: "timestamp outside the tolerance (replay?)",
    });
    expect(verifyWebhookSignature("s3cret", "t=abc,v1=zz", body, at)).toMatchObject({ ok: false });
    expect(verifyWebhookSignature("s3cret", null, body, at)).toMatchObject({ ok: false });
  });
});
