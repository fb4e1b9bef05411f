import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { type Actor, isAdminOrAuditor } from "../actor";
import { CursorKeySchema, decodeCursor, encodeCursor } from "../cursor";
import { forbidden, notFound } from "../errors";
import { escapeLike } from "../text";
import { ListUsersQuerySchema, publicUser } from "./schemas";

export async function displayName(userId: string): Promise<string | null> {
  return (await db().user.findUnique({ where: { id: userId }, select: { name: true } }))?.name ?? null;
}

/** Admins manage people; auditors read who may do what. */
export const canReadPeople = isAdminOrAuditor;

function requirePeopleReader(actor: Actor) {
  if (!canReadPeople(actor)) throw forbidden("Only admins and auditors can see the people list");
}

const include = {
  memberships: { select: { teamId: true, team: { select: { name: true } } }, orderBy: { team: { name: "asc" } } },
} satisfies Prisma.UserInclude;
type Row = Prisma.UserGetPayload<{ include: typeof include }>;

const view = (u: Row) => ({ ...publicUser(u), teams: u.memberships.map((m) => ({ id: m.teamId, name: m.team.name })) });
export type PersonView = ReturnType<typeof view>;

/** Everyone who can sign in, keyset-paginated by e-mail. */
export async function listUsers(actor: Actor, raw: Record<string, unknown> = {}) {
  requirePeopleReader(actor);
  const q = ListUsersQuerySchema.parse(raw);
  const after = decodeCursor(q.cursor, CursorKeySchema);
  const rows = await db().user.findMany({
    where: {
      AND: [
        q.q
          ? {
              OR: [
                { name: { contains: escapeLike(q.q), mode: "insensitive" } },
                { email: { contains: escapeLike(q.q), mode: "insensitive" } },
              ],
            }
          : {},
        q.role ? { role: q.role } : {},
        q.teamId ? { memberships: { some: { teamId: q.teamId } } } : {},
        q.status === "active" ? { disabledAt: null } : q.status === "disabled" ? { disabledAt: { not: null } } : {},
        typeof after === "string" ? { email: { gt: after } } : {},
      ],
    },
    orderBy: { email: "asc" },
    take: q.limit + 1,
    include,
  });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map(view),
    nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1].email) : null,
  };
}

export async function getUser(actor: Actor, userId: string) {
  requirePeopleReader(actor);
  const row = await db().user.findUnique({ where: { id: userId }, include });
  if (!row) throw notFound("Person");
  return view(row);
}

/** Whether the person has a password here (people provisioned by SSO have none). */
export async function hasPassword(userId: string): Promise<boolean> {
  return !!(await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true } }))?.passwordHash;
}
