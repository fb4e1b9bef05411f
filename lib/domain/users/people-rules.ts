import "server-only";
import type { Tx } from "@/lib/db/tx";
import { conflict, invalid } from "../errors";

/** Every id names an existing team. */
export async function requireTeams(tx: Tx, teamIds: string[]) {
  if (!teamIds.length) return;
  const found = await tx.team.count({ where: { id: { in: teamIds } } });
  if (found !== teamIds.length) throw invalid("Unknown team", { teamIds: ["one or more teams do not exist"] });
}

/** Makes the person's teams exactly `teamIds`. */
export async function setMemberships(tx: Tx, userId: string, teamIds: string[]) {
  await tx.teamMembership.deleteMany({ where: { userId, teamId: { notIn: teamIds } } });
  await tx.teamMembership.createMany({ data: teamIds.map((teamId) => ({ userId, teamId })), skipDuplicates: true });
}

/**
 * Refuses a change that would leave the organisation without an active admin. The active admins' rows are
 * locked first, so two admins demoting or deactivating each other at once cannot both succeed.
 */
export async function requireAnotherAdmin(tx: Tx, userId: string) {
  if (!(await anotherAdminExists(tx, userId)))
    throw conflict("last_admin", "This is the organisation's last active admin: make someone else an admin first");
}

/** Is there an active admin besides `userId`? The active admins' rows are locked, as requireAnotherAdmin says. */
export async function anotherAdminExists(tx: Tx, userId: string): Promise<boolean> {
  const admins = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM users WHERE role = 'admin' AND "disabledAt" IS NULL ORDER BY id FOR UPDATE`;
  return admins.some((a) => a.id !== userId);
}
