import "server-only";
import type { SqlTx } from "@/lib/db/tx";
import type { ToolHints } from "../permissions/evaluate";
import { tidyName } from "../text";
import { parseToolResource, toolHints } from "./definition";

const UNDECLARED = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

type Reader = Pick<SqlTx, "$queryRaw">;
type CatalogTool = typeof UNDECLARED & { status: "trusted" | "held" | "rejected" | "removed" };

export type ToolGate =
  | { refused: { code: "tool_held" | "tool_rejected" | "tool_not_catalogued"; reason: string }; hints: null }
  | { refused: null; hints: ToolHints | null };

/**
 * What the tool catalog says about a call, before any rule: a held tool (its definition changed since an admin
 * accepted it) is refused for every agent, as is one whose change an admin rejected, and an `mcp:` resource that no
 * catalogued tool could be named; an uncatalogued tool is refused for an agent limited to catalogued tools. Otherwise the catalogued tool's annotations, for rules that match on them. One indexed read,
 * only for `mcp:` resources. Shared by authorize and the simulator.
 */
export async function toolGate(
  client: Reader,
  agent: { catalogToolsOnly: boolean },
  resource: string,
): Promise<ToolGate> {
  // Another spelling of a tool (`MCP:`, full-width letters) is refused for every agent: it would miss the catalog's
  // held and rejected tools, and still match a broad rule such as `*`.
  // Invisible characters (a zero-width space, a soft hyphen) and spaces are dropped first: `\u200Bmcp:…` is a tool.
  const folded = tidyName(resource);
  if (!/^mcp:/i.test(folded)) return { refused: null, hints: null };
  if (folded !== resource || !resource.startsWith("mcp:"))
    return {
      refused: {
        code: "tool_not_catalogued",
        reason: `Write the tool as mcp:<server>/<tool>, as the tool catalog names it (not ${JSON.stringify(resource)})`,
      },
      hints: null,
    };
  // A name no catalogued tool can have (`mcp:srv//x`, an upper-case server, a zero-width space) is refused for every
  // agent too: a gateway that tidies names before calling would reach a held or rejected tool under a broad rule.
  const named = parseToolResource(resource);
  if (!named)
    return {
      refused: {
        code: "tool_not_catalogued",
        reason: `${JSON.stringify(resource)} is not a tool name: write it as mcp:<server>/<tool>, as the tool catalog names it`,
      },
      hints: null,
    };
  const [tool] = await client.$queryRaw<CatalogTool[]>`
    SELECT t.status::text AS status, t."readOnlyHint", t."destructiveHint", t."idempotentHint", t."openWorldHint"
    FROM mcp_tools t JOIN mcp_servers s ON s.id = t."serverId"
    WHERE t.name = ${named.tool} AND s.name = ${named.server}`;
  if (tool?.status === "held")
    return {
      refused: {
        code: "tool_held",
        reason: `Tool ${resource} changed since it was accepted: an admin must review the change in the tool catalog`,
      },
      hints: null,
    };
  if (tool?.status === "rejected")
    return {
      refused: {
        code: "tool_rejected",
        reason: `Tool ${resource} is refused: an admin rejected its definition as its server lists it now (see the tool catalog)`,
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
  // Not catalogued (or no longer listed): judged as a tool that declares nothing, with the spec's defaults
  // (destructive, open world), so "destructive tools require approval" still applies and "read-only tools" does not.
  return { refused: null, hints: toolHints(tool?.status === "trusted" ? tool : UNDECLARED) };
}
