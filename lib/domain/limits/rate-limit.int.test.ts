import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { makeOrg } from "@/lib/test/fixtures";
import { countHit, enforceRateLimit, peekCount } from "./rate-limit";

describe("rate limits (database-backed fixed windows)", () => {
  it("allows the limit, then answers rate_limited with a retry time; the first refusal per window is audited", async () => {
    const org = await makeOrg();
    const key = `user:${org.viewer.id}`;
    const l = { limit: 3, windowMs: 60_000 };
    const now = Date.UTC(2026, 10, 25, 12, 0, 15);
    for (let i = 0; i < 3; i++) await enforceRateLimit(key, l, org.viewer, { requestId: "r" }, now);
    await expect(enforceRateLimit(key, l, org.viewer, { requestId: "r" }, now)).rejects.toMatchObject({
      kind: "rate_limited",
      details: { retryAfterSeconds: 45 },
    });
    await expect(enforceRateLimit(key, l, org.viewer, {}, now + 1000)).rejects.toMatchObject({
      kind: "rate_limited",
      details: { retryAfterSeconds: 44 },
    });
    expect(await db().auditEvent.count({ where: { action: "rate_limit.exceeded", targetId: key } })).toBe(1);
    // The next window starts fresh.
    await enforceRateLimit(key, l, org.viewer, {}, now + 60_000);
  });

  it("counts concurrent hits exactly (one upsert each)", async () => {
    const l = { limit: 1000, windowMs: 60_000 };
    const now = Date.now();
    await Promise.all(Array.from({ length: 40 }, () => countHit("concurrent", l, now)));
    expect(await peekCount("concurrent", l, now)).toBe(40);
  });
});
