import { getRuntimeConfig } from "@/lib/domain/runtime/get-runtime-config";
import { toJson } from "@/lib/http/json";
import { agentRoute } from "@/lib/http/route";

export const GET = agentRoute({}, async ({ agent, req }) => {
  const { etag, body } = await getRuntimeConfig(agent.id);
  const headers = { ETag: etag, "Cache-Control": "no-cache" };
  const match = req.headers.get("if-none-match");
  if (match?.split(",").some((t) => t.trim() === etag || t.trim() === `W/${etag}`))
    return new Response(null, { status: 304, headers });
  return Response.json(toJson(body), { headers });
});
