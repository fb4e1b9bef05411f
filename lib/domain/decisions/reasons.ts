/** The human reasons a decision carries, shared by authorize and the simulator so their answers cannot drift. */
type B = { name: string; period: string; limitMicros: bigint };

const usd = (m: bigint) => `$${(Number(m) / 1e6).toFixed(2)}`;

type R = { position: number; action: string; resource: string };

export const reasons = {
  pending: (r: R & { approvalTimeoutMinutes: number }) =>
    `Rule #${r.position} allows this only with a person's approval: the agent waits for an approver (the request expires after ${r.approvalTimeoutMinutes} minutes)`,
  tooManyPending: (max: number) =>
    `The agent already has ${max} calls waiting for a person's approval: another is refused until some are decided or expire`,
  approved: (r: R, by: string | null) =>
    `Allowed by rule #${r.position} with ${by ? `${by}'s` : "a person's"} approval: allow ${r.action} on ${r.resource}`,
  inactive: (a: { status: string; statusReason: string | null }) =>
    a.status === "suspended" ? `Agent is suspended${a.statusReason ? `: ${a.statusReason}` : ""}` : "Agent is retired",
  exhausted: (b: B) => `Budget "${b.name}" (${b.period}) is exhausted: limit ${usd(b.limitMicros)}`,
  degraded: (b: B, fallback: string) =>
    `Budget "${b.name}" (${b.period}) is exhausted: switch to the fallback model ${fallback}`,
  noFallback: (b: B) => `Budget "${b.name}" (${b.period}) is exhausted and the agent has no fallback model`,
};
