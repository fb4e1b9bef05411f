import { db } from "@/lib/db/client";

export function listTeamsWithCounts() {
  return db().team.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { agents: true, memberships: true } } } });
}
