import "server-only";
import { z } from "zod";
import { newToken } from "@/lib/auth/tokens";
import { inTransaction } from "@/lib/db/tx";
import type { RequestMeta, UserActor } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { DomainError } from "../errors";
import { requireFreshProof } from "../users/fresh-proof";
import { currentPasswordField } from "../users/schemas";
import { tokenView } from "./queries";

export const TOKEN_SCOPES = ["evals:write", "decisions:evaluate"] as const;

export const PersonalTokenInputSchema = z.object({
  name: z.string().trim().min(1, "required").max(100),
  expiresInDays: z.coerce.number().int().min(1).max(365).nullable().default(90),
  scopes: z.array(z.enum(TOKEN_SCOPES)).max(TOKEN_SCOPES.length).default([]).meta({
    description:
      "Empty: the token acts with your role everywhere. evals:write: a CI token that can only record eval results. decisions:evaluate: a policy enforcement point that can only ask the AuthZEN endpoints for decisions.",
  }),
  currentPassword: currentPasswordField,
});
export type PersonalTokenInput = z.input<typeof PersonalTokenInputSchema>;

/**
 * Creates a token for the acting person, carrying their role. The secret is returned once and never stored. A token
 * outlives the session that mints it, so minting asks for fresh proof (requireFreshProof).
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
  await requireFreshProof(actor, meta, input.currentPassword, "create a token");
  const { token, prefix, hash } = newToken("pat");
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  return inTransaction(async (tx) => {
    // The person's row shared: a deactivation or a password set by an admin (which take it for update, then end the
    // person's sessions and tokens) either waits for this token and ends it too, or has already ended the session
    // minting it, which is checked here. Else a token minted as the person was deactivated would come back with them.
    const [live] = await tx.$queryRaw<{ ok: boolean }[]>`
      SELECT u."disabledAt" IS NULL AND (${actor.sessionId ?? null}::text IS NULL OR EXISTS (
        SELECT 1 FROM user_sessions s WHERE s.id = ${actor.sessionId ?? null} AND s."revokedAt" IS NULL)) AS ok
      FROM users u WHERE u.id = ${actor.id} FOR SHARE OF u`;
    if (!live?.ok) throw new DomainError("unauthenticated", "unauthenticated", "Your session has ended: sign in again");
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
