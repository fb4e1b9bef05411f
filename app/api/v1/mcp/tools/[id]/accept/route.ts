import { z } from "zod";
import { acceptToolChange } from "@/lib/domain/tools/accept-tool-change";
import { personRoute } from "@/lib/http/route";

export const POST = personRoute(
  {
    tags: ["tools"],
    summary: "Accept a held (or rejected) tool's changed definition: it is in force from now",
    params: { id: "Tool id" },
    response: z.object({ id: z.string(), name: z.string(), status: z.literal("trusted") }),
    errors: [409],
  },
  async ({ actor, params, meta }) => {
    const tool = await acceptToolChange(actor, meta, params.id);
    return { id: tool.id, name: tool.name, status: "trusted" as const };
  },
);
