import "server-only";
import { db } from "@/lib/db/client";
import type { UserActor } from "../actor";

/** The acting person's tokens, without their hashes. */
export function listMyTokens(actor: UserActor) {
  return db().personalAccessToken.findMany({
    where: { userId: actor.id },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
    },
  });
}
