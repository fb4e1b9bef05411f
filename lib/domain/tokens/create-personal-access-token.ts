import "server-only";
import { z } from "zod";
import { newToken } from "@/lib/auth/tokens";
import { db } from "@/lib/db/client";
import { inTransaction } from "@/lib/db/tx";
import type { RequestMeta, UserActor } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { DomainError, invalid } from "../errors";
import { proveOwnPassword } from "../users/prove-own-password";
import { tokenView } from "./queries";

export const TOKEN_SCOPES = ["evals:write", "decisions:evaluate"] as const;
/** A token is minted within this long of signing in, or with the person's password. */
export const RECENT_SIGN_IN_MINUTES = 15;

export const PersonalTokenInputSchema = z.object({
  name: z.string().trim().min(1, "required").max(100),
  expiresInDays: z.coerce.number().int().min(1).max(365).nullable().default(90),
  scopes: z.array(z.enum(TOKEN_SCOPES)).max(TOKEN_SCOPES.length).default([]).meta({
    description:
      "Empty: the token acts with your role everywhere. evals:write: a CI token that can only record eval results. decisions:evaluate: a policy enforcement point that can only ask the AuthZEN endpoints for decisions.",
  }),
  currentPassword: z
    .string()
    .max(1000)
    .optional()
    .meta({
      description: `Your password: needed when you signed in more than ${RECENT_SIGN_IN_MINUTES} minutes ago.`,
    }),
});
export type PersonalTokenInput = z.input<typeof PersonalTokenInputSchema>;

/**
 * Creates a token for the acting person, carrying their role. The secret is returned once and never stored. A token
 * outlives the session that mints it, so minting asks for fresh proof: a sign-in within RECENT_SIGN_IN_MINUTES, or
 * the person's password (a stolen cookie alone cannot make itself a token). A person who signs in only through SSO
 * signs in again. Callers inside the server (seeding, with no session) need neither.
 */
export async function createPersonalAccessToken(actor: UserActor, meta: RequestMeta, raw: unknown) {
  // A token cannot mint another, so a leaked token cannot outlive its own revocation.
  if (actor.viaToken)
    throw new DomainError(
      "forbidden",
      "session_required",
      "Tokens are created from a signed-in session, not with another token",
    );
  const input = PersonalTokenInputSchema.parse(raw);
  await requireFreshProof(actor, meta, input.currentPassword);
  const { token, prefix, hash } = newToken("pat");
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  return inTransaction(async (tx) => {
    const row = await tx.personalAccessToken.create({
      data: { userId: actor.id, name: input.name, prefix, hash, expiresAt, scopes: [...new Set(input.scopes)] },
    });
    const visible = tokenView(row);
    await writeAuditEvent(tx, actor, meta, {
      action: "token.created",
      targetType: "personal_access_token",
      targetId: row.id,
      after: visible,
    });
    return { ...visible, token };
  });
}

/**
 * What this person must show to mint a token now: nothing (signed in within RECENT_SIGN_IN_MINUTES, or a caller
 * inside the server), their password, or a new sign-in (SSO only: no password here).
 */
export async function freshProofNeeded(actor: UserActor): Promise<"none" | "password" | "sign_in"> {
  if (!actor.sessionId) return "none";
  const session = await db().userSession.findUnique({ where: { id: actor.sessionId }, select: { createdAt: true } });
  if (session && Date.now() - session.createdAt.getTime() <= RECENT_SIGN_IN_MINUTES * 60_000) return "none";
  const user = await db().user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  return user?.passwordHash ? "password" : "sign_in";
}

async function requireFreshProof(actor: UserActor, meta: RequestMeta, currentPassword?: string) {
  const needed = await freshProofNeeded(actor);
  if (needed === "none") return;
  if (needed === "sign_in")
    throw new DomainError(
      "forbidden",
      "recent_sign_in_required",
      `Sign in again to create a token: tokens are made within ${RECENT_SIGN_IN_MINUTES} minutes of signing in`,
    );
  if (!currentPassword)
    throw invalid(
      `You signed in more than ${RECENT_SIGN_IN_MINUTES} minutes ago: enter your password to create a token`,
      {
        currentPassword: ["enter your password"],
      },
    );
  const user = await db().user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { email: true, passwordHash: true },
  });
  await proveOwnPassword(
    actor,
    meta,
    { email: user.email, passwordHash: user.passwordHash! },
    currentPassword,
    "creating a token",
  );
}
