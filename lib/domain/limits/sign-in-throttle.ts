import { countHit, limits, peekCount, type Limit } from "./rate-limit";

/**
 * Sign-in throttling that slows guessing without letting anyone lock a person out:
 * - per (account, client address): after SIGN_IN_FAILURES_PER_ACCOUNT_AND_IP failures in the window, that
 *   address may not sign in to that account (not even with the right password) until the window ends;
 * - per client address: after SIGN_IN_FAILURES_PER_IP failures (any accounts), that address may not sign in;
 * - per account, a ceiling (SIGN_IN_FAILURES_PER_ACCOUNT) for guessing spread over many addresses: above it,
 *   an address that has already failed on the account in this window gets no further try on it, while an
 *   address with no failures (the person, somewhere else) still signs in with the right password.
 * Failures from anywhere therefore never block the right password from a new address.
 * Windows are 15 minutes; the client address comes from lib/http/client-address.ts ("unknown" when none).
 */
export type SignInRefusal = { scope: "account_and_address" | "address" | "account"; limit: Limit };

const keys = (email: string, ip: string | null) => {
  const address = ip ?? "unknown";
  return { pair: `signin:account-ip:${email}|${address}`, address: `signin:ip:${address}`, account: `signin:account:${email}` };
};

/** Why this attempt is refused before its password is even checked, or null when it may go ahead. */
export async function signInRefusal(email: string, ip: string | null, now = Date.now()): Promise<SignInRefusal | null> {
  const k = keys(email, ip);
  const pairLimit = limits.signInPerAccountAndIp();
  const pair = await peekCount(k.pair, pairLimit, now);
  if (pairLimit.limit > 0 && pair >= pairLimit.limit) return { scope: "account_and_address", limit: pairLimit };
  const ipLimit = limits.signInPerIp();
  if (ipLimit.limit > 0 && (await peekCount(k.address, ipLimit, now)) >= ipLimit.limit) return { scope: "address", limit: ipLimit };
  const accountLimit = limits.signInPerAccount();
  if (accountLimit.limit > 0 && pair > 0 && (await peekCount(k.account, accountLimit, now)) >= accountLimit.limit) return { scope: "account", limit: accountLimit };
  return null;
}

/** Counts one failed sign-in against the account, the address, and the pair. */
export async function recordSignInFailure(email: string, ip: string | null, now = Date.now()): Promise<void> {
  const k = keys(email, ip);
  await countHit(k.pair, limits.signInPerAccountAndIp(), now);
  await countHit(k.address, limits.signInPerIp(), now);
  await countHit(k.account, limits.signInPerAccount(), now);
}
