import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type RequestMeta, systemActor } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { setMemberships } from "./people-rules";
import { publicUser } from "./schemas";

type SsoIdentity = {
  email: string;
  name: string;
  role: "admin" | "team_lead" | "auditor" | "viewer";
  teamSlugs: string[];
  issuer: string;
};

/**
 * Signs a person in from the identity provider: the first sign-in creates the user (no password) with the
 * mapped role and teams; later sign-ins bring role and teams in line with the provider. Each change is audited
 * (actor: the SSO integration), in the same transaction. Disabled users stay disabled (returns null).
 */
export async function provisionSsoUser(meta: RequestMeta, identity: SsoIdentity) {
  const actor = systemActor(`sso:${identity.issuer}`);
  const email = identity.email.trim().toLowerCase();
  return inTransaction(async (tx) => {
    const teams = await tx.team.findMany({
      where: { slug: { in: identity.teamSlugs } },
      select: { id: true, slug: true },
    });
    const teamIds = teams.map((t) => t.id).sort();
    const existing = await tx.user.findUnique({
      where: { email },
      include: { memberships: { select: { teamId: true } } },
    });
    if (!existing) {
      const user = await tx.user.create({
        data: {
          email,
          name: identity.name.slice(0, 100) || email,
          role: identity.role,
          memberships: { create: teamIds.map((teamId) => ({ teamId })) },
        },
      });
      await writeAuditEvent(tx, actor, meta, {
        action: "user.created",
        targetType: "user",
        targetId: user.id,
        after: { ...publicUser(user), teamIds },
        reason: "first single sign-on",
      });
      return user;
    }
    if (existing.disabledAt) return null;
    const currentTeams = existing.memberships.map((m) => m.teamId).sort();
    // An admin by the provider keeps no password of ours: one an admin gave them (and so knows, or knew) would be a
    // second admin's sign-in for that admin, granted without a second admin's approval.
    const dropPassword = identity.role === "admin" && existing.passwordHash !== null;
    if (existing.role !== identity.role || currentTeams.join() !== teamIds.join() || dropPassword) {
      await setMemberships(tx, existing.id, teamIds);
      const user = await tx.user.update({
        where: { id: existing.id },
        data: { role: identity.role, ...(dropPassword ? { passwordHash: null, mustChangePassword: false } : {}) },
      });
      await writeAuditEvent(tx, actor, meta, {
        action: "user.updated",
        targetType: "user",
        targetId: user.id,
        before: { role: existing.role, teamIds: currentTeams },
        after: { role: user.role, teamIds, ...(dropPassword ? { passwordRemoved: true } : {}) },
        reason: "role and teams from the identity provider",
      });
      return user;
    }
    return existing;
  });
}
