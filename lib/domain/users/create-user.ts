import "server-only";
import { hashPassword } from "@/lib/auth/password";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { isPerson, openChangeRequest } from "../changes/open-change-request";
import { conflict } from "../errors";
import { requireFreshProof, tokensStillIssue } from "./fresh-proof";
import { requireTeams } from "./people-rules";
import { publicUser, UserInputSchema } from "./schemas";

/**
 * Adds a person. Four-eyes: a person added as an admin by another person starts as a viewer, and the admin role
 * waits for a second admin's approval (a change request, `pendingChange` in the result).
 */
export async function createUser(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = UserInputSchema.parse(raw);
  if (input.password) await requireFreshProof(actor, meta, input.currentPassword, "give someone a password");
  const teamIds = [...new Set(input.teamIds)].sort();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return inTransaction(async (tx) => {
    if (input.password) await tokensStillIssue(tx, actor, "give someone a password");
    if (await tx.user.findUnique({ where: { email: input.email } }))
      throw conflict("email_taken", `A person with e-mail ${input.email} exists`, { email: ["is taken"] });
    await requireTeams(tx, teamIds);
    const needsApproval = input.role === "admin" && isPerson(actor);
    const user = await tx.user.create({
      // A password given by an admin is one-time: the person chooses their own at their first sign-in.
      data: {
        email: input.email,
        name: input.name,
        role: needsApproval ? "viewer" : input.role,
        passwordHash,
        mustChangePassword: !!passwordHash,
        memberships: { create: teamIds.map((teamId) => ({ teamId })) },
      },
      include: { memberships: { select: { teamId: true } } },
    });
    await writeAuditEvent(tx, actor, meta, {
      action: "user.created",
      targetType: "user",
      targetId: user.id,
      after: publicUser(user),
    });
    if (!needsApproval) return publicUser(user);
    const pendingChange = await openChangeRequest(tx, actor, meta, {
      change: "user_role",
      userId: user.id,
      payload: { role: "admin", fromRole: "viewer" },
      reason: "",
    });
    return { ...publicUser(user), pendingChange };
  });
}
