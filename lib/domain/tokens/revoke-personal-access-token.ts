import "server-only";
import { inTransaction } from "@/lib/db/tx";
import type { RequestMeta, UserActor } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { notFound } from "../errors";
import { tokenView } from "./queries";

/** People revoke their own tokens; admins may revoke anyone's. */
export async function revokePersonalAccessToken(actor: UserActor, meta: RequestMeta, tokenId: string) {
  return inTransaction(async (tx) => {
    const row = await tx.personalAccessToken.findUnique({ where: { id: tokenId } });
    if (!row || (row.userId !== actor.id && actor.role !== "admin")) throw notFound("Token");
    if (row.revokedAt) return tokenView(row);
    const revoked = await tx.personalAccessToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    await writeAuditEvent(tx, actor, meta, {
      action: "token.revoked",
      targetType: "personal_access_token",
      targetId: tokenId,
      before: { revokedAt: null },
      after: { revokedAt: revoked.revokedAt },
    });
    return tokenView(revoked);
  });
}
