import { z } from "zod";
import { acceptToolChange } from "@/lib/domain/tools/accept-tool-change";
import { ToolReviewSchema } from "@/lib/domain/tools/schemas";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["tools"],
    summary: "Accept a held (or rejected) tool's changed definition: it is in force from now",
    params: { id: "Tool id" },
    body: ToolReviewSchema,
    response: z.object({ id: z.string(), name: z.string(), status: z.literal("trusted") }),
    errors: [409],
  },
  async ({ actor, params, meta, body }) => {
    const tool = await acceptToolChange(actor, meta, params.id, body);
    return { id: tool.id, name: tool.name, status: "trusted" as const };
  },
);
