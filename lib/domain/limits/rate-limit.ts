import "server-only";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import type { Actor, RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { DomainError } from "../errors";

export type Limit = { limit: number; windowMs: number };

/** Limits per minute, from the environment (0 turns a limit off). */
export const limits = {
  person: (): Limit => ({ limit: Number(process.env.RATE_LIMIT_PERSON_PER_MINUTE ?? 600), windowMs: 60_000 }),
  agentKey: (): Limit => ({ limit: Number(process.env.RATE_LIMIT_AGENT_KEY_PER_MINUTE ?? 3000), windowMs: 60_000 }),
  // Sign-in failures per 15 minutes (see sign-in-throttle.ts): per account and address, per address, and a
  // per-account ceiling above which each address gets no further try on the account.
  signInPerAccountAndIp: (): Limit => ({
    limit: Number(process.env.SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP ?? 5),
    windowMs: 15 * 60_000,
  }),
  signInPerAccount: (): Limit => ({
    limit: Number(process.env.SIGN_IN_FAILURES_PER_ACCOUNT ?? 50),
    windowMs: 15 * 60_000,
  }),
  signInPerIp: (): Limit => ({ limit: Number(process.env.SIGN_IN_FAILURES_PER_IP ?? 30), windowMs: 15 * 60_000 }),
};

const windowStart = (now: number, windowMs: number) => new Date(Math.floor(now / windowMs) * windowMs);

/** Old windows are garbage: swept now and then (1 call in 100), off the request's critical path. */
export function sweepOldWindows(now = Date.now()) {
  if (Math.random() < 0.01)
    void db()
      .$executeRaw`DELETE FROM rate_limit_windows WHERE "windowStart" < ${new Date(now - 3_600_000)}::timestamp(3)`.catch(
      () => undefined,
    );
}

/**
 * Counts one hit in the current window (one upsert) and returns the count and when the window ends. `durable: false`
 * (request rate limits) commits asynchronously: a counter is not worth a disk flush per request, and a crash may
 * lose the last few hits of a window, nothing else. Sign-in failure counters stay durable: forgetting failed
 * guesses would help a guesser.
 */
export async function countHit(key: string, l: Limit, now = Date.now(), { durable = true } = {}) {
  const start = windowStart(now, l.windowMs);
  const [row] = await db().$queryRaw<{ count: number }[]>`
    WITH commit_mode AS (SELECT set_config('synchronous_commit', ${durable ? "on" : "off"}, true))
    INSERT INTO rate_limit_windows (key, "windowStart", count) SELECT ${key}, ${start}::timestamp(3), 1 FROM commit_mode
    ON CONFLICT (key, "windowStart") DO UPDATE SET count = rate_limit_windows.count + 1
    RETURNING count`;
  sweepOldWindows(now);
  return { count: Number(row.count), resetAt: new Date(start.getTime() + l.windowMs) };
}

/** Takes one hit back (a sign-in attempt that turned out to be the right password). */
export async function giveBackHit(key: string, l: Limit, now = Date.now()) {
  await db()
    .$executeRaw`UPDATE rate_limit_windows SET count = GREATEST(count - 1, 0) WHERE key = ${key} AND "windowStart" = ${windowStart(now, l.windowMs)}::timestamp(3)`;
}

/** The current window's count without adding to it. */
export async function peekCount(key: string, l: Limit, now = Date.now()): Promise<number> {
  const row = await db().rateLimitWindow.findUnique({
    where: { key_windowStart: { key, windowStart: windowStart(now, l.windowMs) } },
  });
  return row?.count ?? 0;
}

/**
 * Throws 429 rate_limited (with retryAfterSeconds) once `key` exceeds its limit in the window. The first refusal
 * of a window is audited, so bursts are visible in the audit trail without one event per refused request.
 */
export async function enforceRateLimit(key: string, l: Limit, actor: Actor, meta: RequestMeta, now = Date.now()) {
  if (!(l.limit > 0)) return;
  await refuseOverLimit(await countHit(key, l, now, { durable: false }), key, l, actor, meta, now);
}

/** The window a hit at `now` counts in (for a caller that counts the hit in its own statement, like agent keys). */
export const hitWindow = (l: Limit, now = Date.now()) => {
  const start = windowStart(now, l.windowMs);
  return { start, resetAt: new Date(start.getTime() + l.windowMs) };
};

/** Throws 429 once a counted hit is over the limit (the first refusal of a window is audited). */
export async function refuseOverLimit(
  { count, resetAt }: { count: number; resetAt: Date },
  key: string,
  l: Limit,
  actor: Actor,
  meta: RequestMeta,
  now = Date.now(),
) {
  if (!(l.limit > 0) || count <= l.limit) return;
  const retryAfterSeconds = Math.max(1, Math.ceil((resetAt.getTime() - now) / 1000));
  if (count === l.limit + 1) {
    await inTransaction((tx) =>
      writeAuditEvent(tx, actor, meta, {
        action: "rate_limit.exceeded",
        targetType: "rate_limit",
        targetId: key,
        agentId: actor.type === "agent" ? actor.id : null,
        outcome: "denied",
        after: { limit: l.limit, windowSeconds: l.windowMs / 1000, resetAt },
        reason: `more than ${l.limit} requests in ${l.windowMs / 1000} s`,
      }),
    );
  }
  throw new DomainError(
    "rate_limited",
    "rate_limited",
    `Too many requests: at most ${l.limit} per ${l.windowMs / 1000} s. Retry in ${retryAfterSeconds} s.`,
    { retryAfterSeconds },
  );
}
