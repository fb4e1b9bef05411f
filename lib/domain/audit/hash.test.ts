import { describe, expect, it } from "vitest";
import { type AuditHashInput, auditHash, findChainBreak, GENESIS_HASH } from "./hash";

function chain(n: number) {
  const events: (AuditHashInput & { hash: string })[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e: AuditHashInput = {
      position: BigInt(i),
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      actorType: "user",
      actorId: "u1",
      actorLabel: "a@b.c",
      action: "agent.updated",
      targetType: "agent",
      targetId: `a${i}`,
      teamId: null,
      agentId: `a${i}`,
      outcome: "success",
      before: { name: "old", n: i },
      after: { n: i, name: "new" },
      reason: null,
      requestId: "r",
      ip: null,
      prevHash: prev,
    };
    const hash = auditHash(e);
    events.push({ ...e, hash });
    prev = hash;
  }
  return events;
}

describe("audit hash chain", () => {
  it("verifies an intact chain", () => {
    const r = findChainBreak(chain(5));
    expect(r.break).toBeNull();
    expect(r.checked).toBe(5);
  });

  it("hashes JSON independently of key order (stored jsonb reorders keys)", () => {
    const [e] = chain(1);
    expect(auditHash({ ...e, after: { name: "new", n: 1 } })).toBe(e.hash);
    expect(auditHash({ ...e, after: { name: "neW", n: 1 } })).not.toBe(e.hash);
  });

  it("reports an edited event by position", () => {
    const events = chain(5);
    events[2] = { ...events[2], reason: "tampered" };
    expect(findChainBreak(events).break).toEqual({ position: "3", reason: "hash_mismatch" });
  });

  it("reports a deleted event as a missing position", () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(findChainBreak(events).break).toEqual({ position: "2", reason: "missing_position" });
  });

  it("reports a re-hashed event whose link no longer matches", () => {
    const events = chain(4);
    const forged = { ...events[1], reason: "forged" };
    forged.hash = auditHash(forged);
    events[1] = forged;
    expect(findChainBreak(events).break).toEqual({ position: "3", reason: "broken_link" });
  });
});
