import { z } from "zod";

/** A personal access token as its owner sees it (never its secret or hash). */
export const PersonalTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: "The token's first characters, to recognise it" }),
    scopes: z.array(z.string()),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "PersonalToken" });

export const NewPersonalTokenSchema = PersonalTokenSchema.omit({ revokedAt: true, lastUsedAt: true })
  .extend({ token: z.string().meta({ description: "The secret, shown only in this response." }) })
  .meta({ id: "NewPersonalToken" });
