import { z } from "zod";

const name = z.string().trim().min(1, "required").max(100);

export const TeamInputSchema = z
  .object({
    slug: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "lowercase letters, digits and dashes (2–63)"),
    name,
  })
  .meta({ id: "TeamInput" });
export type TeamInput = z.infer<typeof TeamInputSchema>;

/** The slug is a stable identifier (SSO maps groups to it), so only the name changes. */
export const TeamUpdateSchema = z.object({ name }).strict().meta({ id: "TeamUpdate" });
export type TeamUpdate = z.infer<typeof TeamUpdateSchema>;

export const TeamSchema = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), createdAt: z.iso.datetime() })
  .meta({ id: "Team" });
export const TeamWithCountsSchema = TeamSchema.extend({ agents: z.number().int(), members: z.number().int() }).meta({
  id: "TeamWithCounts",
});
