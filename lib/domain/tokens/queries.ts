import "server-only";
import { db } from "@/lib/db/client";
import type { PersonalAccessToken } from "@/lib/db/generated/client";
import type { UserActor } from "../actor";

/** What a token's owner sees of it: never its secret or hash. */
const TOKEN_FIELDS = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
} as const;

type TokenRow = { [K in keyof typeof TOKEN_FIELDS]: PersonalAccessToken[K] };

export const tokenView = (row: TokenRow): TokenRow => {
  const { id, name, prefix, scopes, createdAt, expiresAt, revokedAt, lastUsedAt } = row;
  return { id, name, prefix, scopes, createdAt, expiresAt, revokedAt, lastUsedAt };
};

/** The acting person's tokens. */
export function listMyTokens(actor: UserActor) {
  return db().personalAccessToken.findMany({
    where: { userId: actor.id },
    orderBy: { createdAt: "desc" },
    select: TOKEN_FIELDS,
  });
}
