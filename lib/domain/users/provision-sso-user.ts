import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type RequestMeta, systemActor } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { withdrawRequestsOf } from "../changes/reject";
import { withoutHidden } from "../text";
import { anotherAdminExists, setMemberships } from "./people-rules";
import { publicUser } from "./schemas";
import { endSignIns } from "./sessions";

type SsoIdentity = {
  email: string;
  name: string;
  role: "admin" | "team_lead" | "auditor" | "viewer";
  teamSlugs: string[];
  issuer: string;
  /** The provider's stable id for the account (`sub`). */
  subject: string;
};

/** Why a sign-in is refused: the e-mail is another provider account's person here (the sign-in page's error code). */
export type SsoRefusal = { refused: "SubjectMismatch"; userId: string };

/**
 * Signs a person in from the identity provider: the first sign-in creates the user (no password) with the
 * mapped role and teams; later sign-ins bring role and teams in line with the provider. Each change is audited
 * (actor: the SSO integration), in the same transaction. Disabled users stay disabled (returns null).
 *
 * A person is the provider's account (issuer and `sub`), bound at their first single sign-on (a person created here
 * first is bound then, matched by e-mail). An e-mail the provider later gives to another account (a reused address,
 * a second tenant) is refused; the bound account's e-mail changed at the provider follows it here.
 */
export async function provisionSsoUser(meta: RequestMeta, identity: SsoIdentity) {
  const actor = systemActor(`sso:${identity.issuer}`);
  const email = identity.email.trim().toLowerCase();
  // The issuer as its discovery URL is written either way (with or without a trailing slash).
  const ssoSubject = `${identity.issuer.replace(/\/+$/, "")} ${identity.subject}`;
  return inTransaction(async (tx) => {
    const include = { memberships: { select: { teamId: true } } } as const;
    const bound = await tx.user.findUnique({ where: { ssoSubject }, include });
    const byEmail = await tx.user.findUnique({ where: { email }, include });
    if (byEmail && byEmail.id !== bound?.id && (bound || (byEmail.ssoSubject && byEmail.ssoSubject !== ssoSubject)))
      return { refused: "SubjectMismatch", userId: byEmail.id } as SsoRefusal;
    let existing = bound ?? byEmail;
    // An admin the provider demotes: the active admins' rows first, in id order (this person's among them), as every
    // demotion and deactivation takes them. Taking this person's row first would deadlock with an admin's change to
    // another admin, which holds the admins' rows and waits for this one.
    const othersAdmin =
      existing?.role === "admin" && identity.role !== "admin" ? await anotherAdminExists(tx, existing.id) : undefined;
    if (existing) {
      // The person's row first, as an admin's change to them takes it (updateUser): their password and role are read
      // as they are at the commit, and the two never wait on each other's sessions in opposite order.
      await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${existing.id} FOR UPDATE`;
      existing = await tx.user.findUniqueOrThrow({ where: { id: existing.id }, include });
    }
    if (existing?.disabledAt) return null;
    if (existing && (existing.ssoSubject !== ssoSubject || existing.email !== email)) {
      const before = { email: existing.email, ssoSubject: existing.ssoSubject };
      // Only from the binding read: of two first sign-ins at once from different accounts, one binds, one is refused.
      const { count } = await tx.user.updateMany({
        where: { id: existing.id, ssoSubject: existing.ssoSubject },
        data: { ssoSubject, email },
      });
      if (count !== 1) return { refused: "SubjectMismatch", userId: existing.id } as SsoRefusal;
      existing = await tx.user.findUniqueOrThrow({ where: { id: existing.id }, include });
      await writeAuditEvent(tx, actor, meta, {
        action: "user.updated",
        targetType: "user",
        targetId: existing.id,
        before,
        after: { email, ssoSubject },
        reason:
          before.email === email
            ? "linked to the identity provider's account"
            : "e-mail changed at the identity provider",
      });
    }
    const teams = await tx.team.findMany({
      where: { slug: { in: identity.teamSlugs } },
      select: { id: true, slug: true },
    });
    const teamIds = teams.map((t) => t.id).sort();
    if (!existing) {
      const user = await tx.user.create({
        data: {
          email,
          ssoSubject,
          // Shown in confirmations ("Deactivate …?"): nothing in it may hide or reorder text.
          name: withoutHidden(identity.name, { joiners: true }).trim().slice(0, 100) || email,
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
    const currentTeams = existing.memberships.map((m) => m.teamId).sort();
    // The organisation keeps one active admin, whatever the provider says (as an admin's demotion is refused with
    // 409 last_admin): the provider demoting the last one (a changed group, a mapping edited by mistake, or by
    // whoever took the provider's console over) would leave nobody to govern anything here. They stay an admin, and
    // each such sign-in is audited, until another admin exists; their teams follow the provider.
    const keptAdmin =
      existing.role === "admin" &&
      identity.role !== "admin" &&
      !(othersAdmin ?? (await anotherAdminExists(tx, existing.id)));
    const role = keptAdmin ? "admin" : identity.role;
    // An admin by the provider keeps no password of ours: one an admin gave them (and so knows, or knew) would be a
    // second admin's sign-in for that admin, granted without a second admin's approval. The sessions and personal
    // tokens it could have opened end with it (a token minted as a viewer would carry the admin role from now on).
    const dropPassword = role === "admin" && existing.passwordHash !== null;
    if (existing.role !== role || currentTeams.join() !== teamIds.join() || dropPassword || keptAdmin) {
      // No longer an admin by the provider: what they asked for waits for nobody (as when an admin demotes them).
      const requestsWithdrawn =
        existing.role === "admin" && role !== "admin"
          ? await withdrawRequestsOf(tx, actor, meta, existing.id, `${existing.email} is no longer an admin`)
          : 0;
      // Whoever knew that password may have signed in with it and minted tokens: those end with it.
      const ended = dropPassword ? await endSignIns(tx, existing.id) : null;
      await setMemberships(tx, existing.id, teamIds);
      const user = await tx.user.update({
        where: { id: existing.id },
        data: { role, ...(dropPassword ? { passwordHash: null, mustChangePassword: false } : {}) },
      });
      await writeAuditEvent(tx, actor, meta, {
        action: "user.updated",
        targetType: "user",
        targetId: user.id,
        before: { role: existing.role, teamIds: currentTeams },
        after: {
          role: user.role,
          teamIds,
          ...(ended ? { passwordRemoved: true, ...ended } : {}),
          ...(requestsWithdrawn ? { requestsWithdrawn } : {}),
          ...(keptAdmin ? { providerRole: identity.role } : {}),
        },
        reason: keptAdmin
          ? `the identity provider maps them to ${identity.role}, but they are the last active admin: they stay an admin until another admin exists`
          : "role and teams from the identity provider",
      });
      return user;
    }
    return existing;
  });
}
