import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { notFound } from "../errors";
import { TeamUpdateSchema } from "./schemas";

export async function renameTeam(actor: Actor, meta: RequestMeta, teamId: string, raw: unknown) {
  requireAdmin(actor);
  const input = TeamUpdateSchema.parse(raw);
  return inTransaction(async (tx) => {
    const before = await tx.team.findUnique({ where: { id: teamId } });
    if (!before) throw notFound("Team");
    if (before.name === input.name) return before;
    const team = await tx.team.update({ where: { id: teamId }, data: { name: input.name } });
    await writeAuditEvent(tx, actor, meta, {
      action: "team.renamed",
      targetType: "team",
      targetId: team.id,
      teamId: team.id,
      before: { name: before.name },
      after: { name: team.name },
    });
    return team;
  });
}
