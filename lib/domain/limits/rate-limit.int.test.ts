import { describe, expect, it } from "vitest";
import { agentFromKey } from "@/lib/auth/agent-key";
import { db } from "@/lib/db/client";
import { agentInput, makeOrg } from "@/lib/test/fixtures";
import { registerAgent } from "../agents/register-agent";
import { createAgentKey } from "../keys/create-agent-key";
import { revokeAgentKey } from "../keys/revoke-agent-key";
import { countHit, enforceRateLimit, peekCount, refuseOverLimit } from "./rate-limit";

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

  it("an agent key's lookup counts its hit in the same statement; revoked keys count nothing; last use is touched", async () => {
    const org = await makeOrg();
    const agent = await registerAgent(org.admin, {}, agentInput(org.team.id, `rl-key-${org.tag}`));
    const key = await createAgentKey(org.admin, {}, agent.id, { name: "rl" });
    const l = { limit: 3, windowMs: 60_000 };
    // Key lookups count in the current minute's window (aligned to the epoch): start well inside one, so these hits
    // are not split across two windows (this failed once in CI when they straddled a minute's end).
    const left = l.windowMs - (Date.now() % l.windowMs);
    if (left < 15_000) await new Promise((r) => setTimeout(r, left + 100));
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) counts.push((await agentFromKey(key.token, l))!.hits!.count);
    expect(counts).toEqual([1, 2, 3, 4]);
    const who = (await agentFromKey(key.token, l))!;
    expect(who.agent.id).toBe(agent.id);
    await expect(refuseOverLimit(who.hits!, `key:${who.key.id}`, l, org.admin, {})).rejects.toMatchObject({
      kind: "rate_limited",
    });
    expect(await peekCount(`key:${who.key.id}`, l)).toBe(5);
    expect((await db().agentKey.findUniqueOrThrow({ where: { id: who.key.id } })).lastUsedAt).not.toBeNull();
    // Off: nothing counted.
    expect((await agentFromKey(key.token, { limit: 0, windowMs: 60_000 }))!.hits).toBeNull();
    expect(await peekCount(`key:${who.key.id}`, l)).toBe(5);
    await revokeAgentKey(org.admin, {}, agent.id, who.key.id);
    expect(await agentFromKey(key.token, l)).toBeNull();
    expect(await peekCount(`key:${who.key.id}`, l)).toBe(5);
  });
});
