import { z } from "zod";
import { rejectToolChange } from "@/lib/domain/tools/reject-tool-change";
import { ToolReviewSchema } from "@/lib/domain/tools/schemas";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["tools"],
    summary: "Reject a held tool's changed definition: it stays refused (tool_rejected), no longer waiting for review",
    description:
      "The tool is in force again only when its server lists the accepted definition again; a further change is held for review; the rejected change can still be accepted.",
    params: { id: "Tool id" },
    body: ToolReviewSchema,
    response: z.object({ id: z.string(), name: z.string(), status: z.literal("rejected") }),
    errors: [409],
  },
  async ({ actor, params, meta, body }) => {
    const tool = await rejectToolChange(actor, meta, params.id, body);
    return { id: tool.id, name: tool.name, status: "rejected" as const };
  },
);
