import { describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { makeOrg } from "@/lib/test/fixtures";
import { startSession } from "../users/sessions";
import { createPersonalAccessToken, RECENT_SIGN_IN_MINUTES } from "./create-personal-access-token";

const from = { ip: "203.0.113.9", userAgent: "vitest" };
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe("minting a personal access token asks for fresh proof", () => {
  it("a session signed in long ago (a stolen cookie) mints only with the person's password; wrong guesses are recorded", async () => {
    const org = await makeOrg();
    const password = `right-password-${org.tag}`;
    await db().user.update({ where: { id: org.viewer.id }, data: { passwordHash: await hashPassword(password) } });
    const meta = { ip: from.ip };

    const fresh = await startSession(org.viewer.id, from);
    await expect(
      createPersonalAccessToken({ ...org.viewer, sessionId: fresh }, meta, { name: "fresh" }),
    ).resolves.toMatchObject({ name: "fresh" });

    const old = {
      ...org.viewer,
      sessionId: await startSession(org.viewer.id, from, minutesAgo(RECENT_SIGN_IN_MINUTES + 1)),
    };
    await expect(createPersonalAccessToken(old, meta, { name: "stolen" })).rejects.toMatchObject({
      code: "validation_failed",
      details: { currentPassword: ["enter your password"] },
    });
    await expect(
      createPersonalAccessToken(old, meta, { name: "stolen", currentPassword: "a guess" }),
    ).rejects.toMatchObject({ details: { currentPassword: ["is not your current password"] } });
    expect(
      await db().auditEvent.count({
        where: {
          action: "user.sign_in_failed",
          targetId: org.viewer.id,
          reason: "creating a token: the current password given is wrong",
        },
      }),
    ).toBe(1);
    expect(await db().personalAccessToken.count({ where: { userId: org.viewer.id, name: "stolen" } })).toBe(0);
    await expect(
      createPersonalAccessToken(old, meta, { name: "proven", currentPassword: password }),
    ).resolves.toMatchObject({ name: "proven" });
  });

  it("a person who signs in only through SSO signs in again", async () => {
    const org = await makeOrg();
    const old = { ...org.auditor, sessionId: await startSession(org.auditor.id, from, minutesAgo(60)) };
    await expect(
      createPersonalAccessToken(old, {}, { name: "late", currentPassword: "anything" }),
    ).rejects.toMatchObject({
      code: "recent_sign_in_required",
    });
    const fresh = { ...org.auditor, sessionId: await startSession(org.auditor.id, from) };
    await expect(createPersonalAccessToken(fresh, {}, { name: "now" })).resolves.toMatchObject({ name: "now" });
  });
});
