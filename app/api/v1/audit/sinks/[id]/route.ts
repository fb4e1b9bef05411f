import { z } from "zod";
import { deleteAuditSink } from "@/lib/domain/audit/sinks/commands";
import { PendingChangeSchema } from "@/lib/domain/changes/schemas";
import { personRoute, reply } from "@/lib/http/route";

const Removed = z.object({ deleted: z.string().meta({ description: "The deleted sink's id" }) });
const Waiting = z.object({ pendingChange: PendingChangeSchema });

export const DELETE = personRoute(
  {
    tags: ["audit"],
    summary: "Stop streaming to a SIEM sink (admins; a second admin approves)",
    description:
      "A person's deletion is a change request another admin approves (202 with `pendingChange`; asking again while it waits answers the same request): the sink is the trail's copy outside this product.",
    params: { id: "Audit sink id" },
    response: Removed,
    otherResponses: {
      202: { description: "The deletion waits for a second admin", content: { "application/json": Waiting } },
    },
  },
  async ({ actor, params, meta }) => {
    const result = await deleteAuditSink(actor, meta, params.id);
    return "pendingChange" in result ? reply(202, result) : result;
  },
);
