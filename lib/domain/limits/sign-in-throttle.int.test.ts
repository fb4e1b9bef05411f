import { describe, expect, it } from "vitest";
import { finishSignInAttempt, startSignInAttempt } from "./sign-in-throttle";

const recordSignInFailure = async (email: string, ip: string, at: number) => {
  expect(await startSignInAttempt(email, ip, at)).toBeNull();
  await finishSignInAttempt(email, ip, false, at);
};
const signInRefusal = startSignInAttempt;

const now = Date.UTC(2026, 10, 25, 12, 1, 0);
const fresh = () => `victim-${crypto.randomUUID().slice(0, 8)}@test.local`;

describe("sign-in throttling", () => {
  it("blocks the guessing address for that account, never the person at another address", async () => {
    const email = fresh();
    for (let i = 0; i < 5; i++) await recordSignInFailure(email, "198.51.100.1", now);
    // Only the first refusal of the window says so (the sign-in records it; the rest cost the guesser nothing).
    expect(await signInRefusal(email, "198.51.100.1", now)).toMatchObject({
      scope: "account_and_address",
      first: true,
    });
    expect(await signInRefusal(email, "198.51.100.1", now)).toMatchObject({ first: false });
    expect(await signInRefusal(email, "203.0.113.2", now)).toBeNull();
    // The next window starts fresh.
    expect(await signInRefusal(email, "198.51.100.1", now + 15 * 60_000)).toBeNull();
  });

  it("blocks an address that fails across many accounts", async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 200) + 1}`;
    for (let i = 0; i < 30; i++) await recordSignInFailure(fresh(), ip, now + 60_000);
    expect(await signInRefusal(fresh(), ip, now + 60_000)).toMatchObject({ scope: "address", first: true });
    expect(await signInRefusal(fresh(), ip, now + 60_000)).toMatchObject({ scope: "address", first: false });
  });

  it("above the per-account ceiling, an address that already failed gets no further try; a new address still may", async () => {
    const email = fresh();
    for (let i = 0; i < 50; i++) await recordSignInFailure(email, `10.9.${Math.floor(i / 200)}.${i}`, now + 120_000);
    expect(await signInRefusal(email, "10.9.0.7", now + 120_000)).toMatchObject({ scope: "account", first: true });
    expect(await signInRefusal(email, "10.9.0.7", now + 120_000)).toMatchObject({ scope: "account", first: false });
    expect(await signInRefusal(email, "10.200.0.1", now + 120_000)).toBeNull();
  });

  it("parallel guesses are counted before any password is checked: at most the limit get through", async () => {
    const email = fresh();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => startSignInAttempt(email, "198.51.100.77", now + 180_000)),
    );
    expect(results.filter((r) => r === null)).toHaveLength(5);
  });

  it("a successful sign-in gives its attempt back; an IPv6 client counts as its /64", async () => {
    const email = fresh();
    for (let i = 0; i < 10; i++) {
      expect(await startSignInAttempt(email, "198.51.100.88", now + 240_000)).toBeNull();
      await finishSignInAttempt(email, "198.51.100.88", true, now + 240_000);
    }
    for (let i = 0; i < 5; i++) await recordSignInFailure(email, `2001:db8:1:2::${i + 1}`, now + 300_000);
    expect(await signInRefusal(email, "2001:db8:1:2:ffff::9", now + 300_000)).toMatchObject({
      scope: "account_and_address",
    });
    expect(await signInRefusal(email, "2001:db8:1:3::1", now + 300_000)).toBeNull();
  });
});
