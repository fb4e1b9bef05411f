import { z } from "zod";
import { hashPassword } from "@/lib/auth/password";
import { inTransaction } from "@/lib/db/tx";
import { requireAdmin, type Actor, type RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict, invalid } from "../errors";

export const UserInputSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().min(1).max(100),
  role: z.enum(["admin", "team_lead", "auditor", "viewer"]),
  password: z.string().min(10, "at least 10 characters").max(200).optional(),
  teamIds: z.array(z.string()).default([]),
});
export type UserInput = z.input<typeof UserInputSchema>;

/** Public view of a user: never includes the password hash. */
export const publicUser = (u: { id: string; email: string; name: string; role: string; createdAt: Date }) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  createdAt: u.createdAt,
});

export async function createUser(actor: Actor, meta: RequestMeta, raw: UserInput) {
  requireAdmin(actor);
  const input = UserInputSchema.parse(raw);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return inTransaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email } })) throw conflict("email_taken", `A user with e-mail ${input.email} exists`);
    const teams = await tx.team.findMany({ where: { id: { in: input.teamIds } }, select: { id: true } });
    if (teams.length !== new Set(input.teamIds).size) throw invalid("Unknown team", { teamIds: ["one or more teams do not exist"] });
    const user = await tx.user.create({
      data: {
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash,
        memberships: { create: input.teamIds.map((teamId) => ({ teamId })) },
      },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "user.created",
      targetType: "user",
      targetId: user.id,
      after: { ...publicUser(user), teamIds: input.teamIds },
    });
    return publicUser(user);
  });
}
