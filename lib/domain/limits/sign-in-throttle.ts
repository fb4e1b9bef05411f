import "server-only";
import ipaddr from "ipaddr.js";
import { countHit, giveBackHit, type Limit, limits, peekCount } from "./rate-limit";

/**
 * Sign-in throttling that slows guessing without letting anyone lock a person out:
 * - per (account, client address): after SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP failures in the window, that
 *   address may not sign in to that account (not even with the right password) until the window ends;
 * - per client address: after SIGN_IN_FAILURES_PER_IP failures (any accounts), that address may not sign in;
 * - per account, a ceiling (SIGN_IN_FAILURES_PER_ACCOUNT) for guessing spread over many addresses: above it,
 *   an address that has already failed on the account in this window gets no further try on it, while an
 *   address with no failures (the person, somewhere else) still signs in with the right password.
 * Failures from anywhere therefore never block the right password from a new address.
 * Windows are 15 minutes; the client address comes from lib/http/client-address.ts (an IPv6 address counts as
 * its /64). Attempts are counted before the password is checked; a successful one is given back.
 */
export type SignInRefusal = {
  scope: "account_and_address" | "address" | "account";
  limit: Limit;
  /** The first refusal of its bucket in the window (the one worth recording: a refusal costs an attacker nothing). */
  first: boolean;
};

/** A refusal as the audit trail records it (the first of its window only). */
export const describeRefusal = ({ scope, limit }: SignInRefusal) =>
  `throttled: more than ${limit.limit} failed sign-ins in ${limit.windowMs / 60_000} min (${scope.replaceAll("_", " ")}); further refusals in this window are not recorded`;

/**
 * An IPv6 client owns its whole /64, so that is its bucket (else every request could bring a fresh address). Not a
 * wider one: carriers and universities put unrelated customers in one /48, and one of them must not lock out the rest.
 */
function bucketOf(ip: string): string {
  try {
    const addr = ipaddr.process(ip);
    if (addr.kind() === "ipv6")
      return `${(addr as ipaddr.IPv6).parts
        .slice(0, 4)
        .map((p) => p.toString(16))
        .join(":")}::/64`;
    return addr.toString();
  } catch {
    return ip;
  }
}

/**
 * Without a client address (a server not started by scripts/serve.mjs) every client shares the account's "unknown"
 * pair bucket: failures then lock the account for everyone for the window, which is the lesser harm than letting
 * guesses through unthrottled. There is no shared per-address bucket, which would lock every account at once.
 */
const keys = (email: string, ip: string | null) => ({
  pair: `signin:account-ip:${email}|${ip ? bucketOf(ip) : "unknown"}`,
  address: ip ? `signin:ip:${bucketOf(ip)}` : null,
  account: `signin:account:${email}`,
});

/**
 * Counts a sign-in attempt before its password is checked (one atomic increment per bucket, so a burst of
 * parallel guesses cannot all pass a check made before any of them is counted) and says why it is refused, or
 * null when it may go ahead. Without a client address only the per-account buckets apply: one shared
 * "unknown" address would let anyone's failures lock everyone out.
 */
export async function startSignInAttempt(
  email: string,
  ip: string | null,
  now = Date.now(),
): Promise<SignInRefusal | null> {
  const k = keys(email, ip);
  const pairLimit = limits.signInPerAccountAndIp();
  const pair = (await countHit(k.pair, pairLimit, now)).count;
  if (pairLimit.limit > 0 && pair > pairLimit.limit)
    return { scope: "account_and_address", limit: pairLimit, first: pair === pairLimit.limit + 1 };
  const ipLimit = limits.signInPerIp();
  const address = k.address && ipLimit.limit > 0 ? (await countHit(k.address, ipLimit, now)).count : 0;
  if (address > ipLimit.limit) return { scope: "address", limit: ipLimit, first: address === ipLimit.limit + 1 };
  const accountLimit = limits.signInPerAccount();
  // `pair > 1`: this address already tried this account in the window (failed, or is trying in parallel).
  if (accountLimit.limit > 0 && pair > 1 && (await peekCount(k.account, accountLimit, now)) >= accountLimit.limit) {
    const refused = (await countHit(`${k.pair}|refused`, accountLimit, now)).count;
    return { scope: "account", limit: accountLimit, first: refused === 1 };
  }
  return null;
}

/** After the password check: a success gives its attempt back; a failure also counts against the account. */
export async function finishSignInAttempt(
  email: string,
  ip: string | null,
  succeeded: boolean,
  now = Date.now(),
): Promise<void> {
  const k = keys(email, ip);
  if (!succeeded) {
    await countHit(k.account, limits.signInPerAccount(), now);
    return;
  }
  await giveBackHit(k.pair, limits.signInPerAccountAndIp(), now);
  if (k.address) await giveBackHit(k.address, limits.signInPerIp(), now);
}
