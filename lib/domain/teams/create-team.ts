import "server-only";
import { inTransaction } from "@/lib/db/tx";
import { type Actor, type RequestMeta, requireAdmin } from "../actor";
import { writeAuditEvent } from "../audit/write-audit-event";
import { conflict } from "../errors";
import { TeamInputSchema } from "./schemas";

export async function createTeam(actor: Actor, meta: RequestMeta, raw: unknown) {
  requireAdmin(actor);
  const input = TeamInputSchema.parse(raw);
  return inTransaction(async (tx) => {
    if (await tx.team.findUnique({ where: { slug: input.slug } }))
      throw conflict("slug_taken", `A team with slug "${input.slug}" exists`, { slug: ["is taken"] });
    const team = await tx.team.create({ data: input });
    await writeAuditEvent(tx, actor, meta, {
      action: "team.created",
      targetType: "team",
      targetId: team.id,
      teamId: team.id,
      after: team,
    });
    return team;
  });
}
