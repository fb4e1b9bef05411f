import { getRuntimeConfig } from "@/lib/domain/runtime/get-runtime-config";
import { RuntimeConfigQuerySchema, RuntimeConfigSchema } from "@/lib/domain/versions/schemas";
import { agentRoute, reply } from "@/lib/http/route";

export const GET = agentRoute(
  {
    tags: ["runtime"],
    summary: "The deployed version's config (or, for a routing key in a canary's share, the canary's)",
    description: "Send the ETag back in If-None-Match: 304 while the deployment is unchanged.",
    query: RuntimeConfigQuerySchema,
    response: RuntimeConfigSchema,
    otherResponses: { 304: { description: "Not modified (the ETag matched)" } },
    errors: [403, 404],
  },
  async ({ agent, req, query }) => {
    const key = query.routingKey ?? req.headers.get("x-acp-routing-key")?.slice(0, 200);
    const { etag, body } = await getRuntimeConfig(agent.id, key || null);
    const headers = { ETag: etag, "Cache-Control": "no-cache", Vary: "X-ACP-Routing-Key" };
    const match = req.headers.get("if-none-match");
    if (match?.split(",").some((t) => t.trim() === etag || t.trim() === `W/${etag}`))
      return new Response(null, { status: 304, headers });
    return reply(200, body, headers);
  },
);
