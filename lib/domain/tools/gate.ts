import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import type { ToolHints } from "../permissions/evaluate";
import { parseToolResource, toolHints } from "./definition";

type Reader = { mcpTool: Pick<Prisma.McpToolDelegate, "findFirst"> };

export type ToolGate =
  | { refused: { code: "tool_held" | "tool_not_catalogued"; reason: string }; hints: null }
  | { refused: null; hints: ToolHints | null };

/**
 * What the tool catalog says about a call, before any rule: a held tool (its definition changed since an admin
 * accepted it) is refused for every agent; an uncatalogued `mcp:` resource is refused for an agent limited to
 * catalogued tools. Otherwise the catalogued tool's annotations, for rules that match on them. One indexed read,
 * only for `mcp:` resources. Shared by authorize and the simulator.
 */
export async function toolGate(
  client: Reader,
  agent: { catalogToolsOnly: boolean },
  resource: string,
): Promise<ToolGate> {
  const named = parseToolResource(resource);
  if (!named) return { refused: null, hints: null };
  const tool = await client.mcpTool.findFirst({
    where: { name: named.tool, server: { name: named.server } },
    select: { status: true, readOnlyHint: true, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  });
  if (tool?.status === "held")
    return {
      refused: {
        code: "tool_held",
        reason: `Tool ${resource} changed since it was accepted: an admin must review the change in the tool catalog`,
      },
      hints: null,
    };
  if ((!tool || tool.status === "removed") && agent.catalogToolsOnly)
    return {
      refused: {
        code: "tool_not_catalogued",
        reason: `Tool ${resource} is not in the tool catalog, and this agent may only use catalogued tools`,
      },
      hints: null,
    };
  return { refused: null, hints: tool && tool.status === "trusted" ? toolHints(tool) : null };
}
