import "server-only";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { inTransaction, type Tx } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { isPerson, openChangeRequest, type PendingChange } from "../changes/open-change-request";
import { withdrawRequestsOf } from "../changes/reject";
import { conflict, DomainError, invalid, notFound } from "../errors";
import { requireFreshProof, tokensStillIssue } from "./fresh-proof";
import { requireAnotherAdmin, requireTeams, setMemberships } from "./people-rules";
import { publicUser, UserUpdateSchema } from "./schemas";
import { endSignIns } from "./sessions";

/**
 * Changes a person's name, role, teams or password. Takes effect at once: sessions and tokens read the role
 * and teams from the database on every request. A password set here ends the person's console sessions and,
 * set for someone else, is one-time: they must choose their own at their next sign-in. The audit event records
 * the fields that changed (a new password only as `passwordChanged`). Four-eyes: making someone an admin waits
 * for a second admin (a change request, `pendingChange` in the result; the other fields apply now), and nobody
 * sets another admin's password (signing in as them would make a second approver out of one person).
 */
export async function updateUser(
  actor: Actor,
  meta: RequestMeta,
  userId: string,
  raw: unknown,
): Promise<ReturnType<typeof publicUser> & { pendingChange?: PendingChange }> {
  requireAdmin(actor);
  const input = UserUpdateSchema.parse(raw);
  if (input.password) {
    // What refuses the password anyway, before the admin is asked for theirs (and again under the person's lock).
    await refusePasswordSet(db(), actor, userId);
    await requireFreshProof(actor, meta, input.currentPassword, "set someone's password");
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return inTransaction(async (tx) => {
    // A password set here and an approval making the person an admin take the person's row in turn (lockPerson).
    if (passwordHash) {
      await tokensStillIssue(tx, actor, "set someone's password");
      await lockPerson(tx, userId);
    }
    const before = await tx.user.findUnique({
      where: { id: userId },
      include: { memberships: { select: { teamId: true } } },
    });
    if (!before) throw notFound("Person");
    const beforeTeams = before.memberships.map((m) => m.teamId).sort();
    if (passwordHash) await refusePasswordSet(tx, actor, userId);
    let pendingChange: PendingChange | undefined;
    if (input.role === "admin" && before.role !== "admin" && isPerson(actor)) {
      pendingChange = await openChangeRequest(tx, actor, meta, {
        change: "user_role",
        userId,
        payload: { role: "admin", fromRole: before.role },
        reason: "",
      });
      input.role = undefined;
    }
    const role = input.role ?? before.role;
    const teamIds = input.teamIds ? [...new Set(input.teamIds)].sort() : beforeTeams;
    if (role === "team_lead" && teamIds.length === 0)
      throw invalid("A team lead needs at least one team", { teamIds: ["a team lead needs at least one team"] });
    // An admin no longer: what they asked for waits for nobody (after the admins' rows are locked, in the order an
    // approval takes its locks: people, then agents and requests).
    const demoted = before.role === "admin" && role !== "admin";
    if (demoted && !before.disabledAt) await requireAnotherAdmin(tx, userId);
    const withdrawn = demoted
      ? await withdrawRequestsOf(tx, actor, meta, userId, `${before.email} is no longer an admin`)
      : 0;

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
    if (withdrawn) changedAfter.requestsWithdrawn = withdrawn;
    const withPending = (u: ReturnType<typeof publicUser>) => (pendingChange ? { ...u, pendingChange } : u);
    if (!Object.keys(changedAfter).length) return withPending(publicUser(before));

    if ("teamIds" in changedAfter) {
      await requireTeams(tx, teamIds);
      await setMemberships(tx, userId, teamIds);
    }
    const user = await tx.user.update({
      where: { id: userId },
      data: { name: input.name, role, ...(passwordHash ? { passwordHash, mustChangePassword: true } : {}) },
      include: { memberships: { select: { teamId: true } } },
    });
    // A new password ends the person's sessions and revokes their personal access tokens (a reset is how a stolen
    // session is dealt with, and it could have minted a token): `passwordChanged` and `tokensRevoked` say so.
    if (passwordHash) changedAfter.tokensRevoked = (await endSignIns(tx, userId)).tokensRevoked;
    await writeAuditEvent(tx, actor, meta, {
      action: "user.updated",
      targetType: "user",
      targetId: userId,
      before: changedBefore,
      after: changedAfter,
    });
    return withPending(publicUser(user));
  });
}

/** Makes a person an admin once a second admin approved it (the approving transaction). */
export async function applyAdminRole(
  tx: Tx,
  actor: Actor,
  meta: RequestMeta,
  userId: string,
  approval: { requestId: string; requestedById: string },
) {
  await lockPerson(tx, userId);
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user || user.disabledAt) throw conflict("request_stale", "This person no longer exists or is deactivated");
  if (user.role === "admin") return;
  // A one-time password is known to the admin who gave it: the person chooses their own first (signing in), or
  // that admin would hold two admins' sign-ins. The request stays pending meanwhile.
  if (user.mustChangePassword)
    throw conflict(
      "password_not_own",
      `${user.email} still has the one-time password an admin gave them: they sign in and choose their own, then approve`,
    );
  // An admin has no team scope: memberships stay (they are harmless) and come back into play on a later demotion.
  await tx.user.update({ where: { id: userId }, data: { role: "admin" } });
  // What was opened under the old role (a token minted as a viewer would carry the admin role from now on) ends:
  // the person signs in again, as an admin.
  const ended = await endSignIns(tx, userId);
  await writeAuditEvent(tx, actor, meta, {
    action: "user.updated",
    targetType: "user",
    targetId: userId,
    before: { role: user.role },
    after: { role: "admin", requestId: approval.requestId, requestedById: approval.requestedById, ...ended },
  });
}

/** The person's row, locked to the end of the transaction. */
async function lockPerson(tx: Tx, userId: string) {
  await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${userId} FOR UPDATE`;
}

/** Whose password is not set here, and why. */
async function refusePasswordSet(reader: Pick<Tx, "user" | "changeRequest">, actor: Actor, userId: string) {
  // Your own password changes in Settings, against the current one: a leaked token (or an unattended session)
  // must not be able to set a password and turn itself into a sign-in.
  if (isPerson(actor) && actor.id === userId)
    throw new DomainError(
      "forbidden",
      "own_password",
      "Change your own password in Settings: it asks for your current one",
    );
  const person = await reader.user.findUnique({ where: { id: userId }, select: { role: true, email: true } });
  if (!person) throw notFound("Person");
  if (person.role === "admin" && isPerson(actor))
    throw new DomainError(
      "forbidden",
      "admin_password",
      "Nobody sets another admin's password: they change it themselves in Settings",
    );
  // Whoever sets the password of someone about to be made an admin could sign in as them (choosing "their" own
  // password first) and approve as a second admin: not while a request to promote them waits.
  if (await reader.changeRequest.count({ where: { change: "user_role", userId, status: "pending" } }))
    throw conflict(
      "promotion_pending",
      `${person.email} is waiting to be made an admin: their password cannot be set meanwhile (reject that request first, then set it)`,
    );
}
