import { getRuntimeConfig } from "@/lib/domain/runtime/get-runtime-config";
import { RuntimeConfigSchema } from "@/lib/domain/versions/schemas";
import { agentRoute, reply } from "@/lib/http/route";

export const GET = agentRoute(
  {
    tags: ["runtime"],
    summary: "The deployed version's config",
    description: "Send the ETag back in If-None-Match: 304 while the deployment is unchanged.",
    response: RuntimeConfigSchema,
    otherResponses: { 304: { description: "Not modified (the ETag matched)" } },
    errors: [403, 404],
  },
  async ({ agent, req }) => {
    const { etag, body } = await getRuntimeConfig(agent.id);
    const headers = { ETag: etag, "Cache-Control": "no-cache" };
    const match = req.headers.get("if-none-match");
    if (match?.split(",").some((t) => t.trim() === etag || t.trim() === `W/${etag}`))
      return new Response(null, { status: 304, headers });
    return reply(200, body, headers);
  },
);
