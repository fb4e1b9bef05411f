import { z } from "zod";
import { deleteAuditSink } from "@/lib/domain/audit/sinks/commands";
import { personRoute } from "@/lib/http/route";

export const DELETE = personRoute(
  {
    tags: ["audit"],
    summary: "Stop streaming to a SIEM sink (admins)",
    params: { id: "Audit sink id" },
    response: z.object({ deleted: z.string().meta({ description: "The deleted sink's id" }) }),
  },
  async ({ actor, params, meta }) => deleteAuditSink(actor, meta, params.id),
);
