import { hashPassword } from "@/lib/auth/password";
import { inTransaction } from "@/lib/db/tx";
import { requireAdmin, type Actor, type RequestMeta } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { invalid, notFound } from "../errors";
import { requireAnotherAdmin, requireTeams, setMemberships } from "./people-rules";
import { publicUser, UserUpdateSchema, type UserUpdate } from "./schemas";
import { revokeSessions } from "./sessions";

/**
 * Changes a person's name, role, teams or password. Takes effect at once: sessions and tokens read the role
 * and teams from the database on every request. A password set here ends the person's console sessions and,
 * set for someone else, is one-time: they must choose their own at their next sign-in. The audit event records
 * the fields that changed (a new password only as `passwordChanged`).
 */
export async function updateUser(actor: Actor, meta: RequestMeta, userId: string, raw: UserUpdate) {
  requireAdmin(actor);
  const input = UserUpdateSchema.parse(raw);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return inTransaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: userId }, include: { memberships: { select: { teamId: true } } } });
    if (!before) throw notFound("Person");
    const beforeTeams = before.memberships.map((m) => m.teamId).sort();
    const role = input.role ?? before.role;
    const teamIds = input.teamIds ? [...new Set(input.teamIds)].sort() : beforeTeams;
    if (role === "team_lead" && teamIds.length === 0) throw invalid("A team lead needs at least one team", { teamIds: ["a team lead needs at least one team"] });
    if (before.role === "admin" && role !== "admin" && !before.disabledAt) await requireAnotherAdmin(tx, userId);

    const changedBefore: Record<string, unknown> = {};
    const changedAfter: Record<string, unknown> = {};
    const note = (field: string, from: unknown, to: unknown) => {
      if (JSON.stringify(from) === JSON.stringify(to)) return;
      changedBefore[field] = from;
      changedAfter[field] = to;
    };
    note("name", before.name, input.name ?? before.name);
    note("role", before.role, role);
    note("teamIds", beforeTeams, teamIds);
    if (passwordHash) changedAfter.passwordChanged = true;
    const self = actor.type === "user" && actor.id === userId;
    if (!Object.keys(changedAfter).length) return publicUser(before);

    if ("teamIds" in changedAfter) {
      await requireTeams(tx, teamIds);
      await setMemberships(tx, userId, teamIds);
    }
    const user = await tx.user.update({
      where: { id: userId },
      data: { name: input.name, role, ...(passwordHash ? { passwordHash, mustChangePassword: !self } : {}) },
      include: { memberships: { select: { teamId: true } } },
    });
    // A new password ends the person's sessions (`passwordChanged` in the audit event says so).
    if (passwordHash) await revokeSessions(tx, userId, { except: self ? actor.sessionId : null });
    await writeAuditEvent(tx, actor, meta, { action: "user.updated", targetType: "user", targetId: userId, before: changedBefore, after: changedAfter });
    return publicUser(user);
  });
}
